"""Topics of an article from the registry's cue phrases (content/registry/topics.yaml)."""

from __future__ import annotations

from sitegen.extract.entities import Match
from sitegen.registry import Registry

MIN_CUES = 1


def find_topics(matches: list[Match], registry: Registry) -> list[str]:
    """Vocabulary slugs whose cues occur, in vocabulary order.

    Overlapping cues all count ("الإرهاب الإلكتروني" is cybercrime and also
    contains terrorism): the scan keeps overlaps for topics.
    """
    counts: dict[str, int] = {}
    for match in matches:
        if match.entry.kind == "topic":
            counts[match.entry.ref] = counts.get(match.entry.ref, 0) + 1
    return [slug for slug in registry.topics if counts.get(slug, 0) >= MIN_CUES]
