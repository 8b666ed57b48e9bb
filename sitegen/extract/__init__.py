"""Raw article text → facts (FACTS.md).

`extract_facts` is a pure function of the text, a reference date and the
registry: clean the page, normalise and tokenise it once, scan it once against
the compiled registry, then read dates, officials, countries, places and
topics off that single pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from sitegen.extract.clean import Page, clean, line_key
from sitegen.extract.dates import (
    DateScan,
    FoundDate,
    find_dates,
    mentions_past,
    relative_date,
)
from sitegen.extract.entities import (
    drop_name_words,
    find_countries,
    find_officials,
    find_places,
    gazetteer,
    resolve,
    scan,
)
from sitegen.extract.text import Token, tokenize, unicode_normalize
from sitegen.extract.topics import find_topics
from sitegen.facts import FACT_KEYS
from sitegen.registry import Registry, default_registry, per_registry

__all__ = ["FACT_KEYS", "extract_facts"]

_SENTENCE = re.compile(r"(?<=[.!؟?])\s+")
SUMMARY_MAX_CHARS = 400
_LEAD_MIN_WORDS = 12


def _line_keys(names: Iterable[str]) -> frozenset[str]:
    return frozenset(line_key(unicode_normalize(n)) for n in names)


@per_registry
def _header_names(registry: Registry) -> tuple[frozenset[str], frozenset[str]]:
    """Comparison keys of registered outlets and places (once per registry object).

    A header line that is an outlet's name is the outlet; "<place>: <author>" is a
    dateline and a byline.
    """
    outlets = _line_keys(n for o in registry.outlets.values() for n in (o.name_ar, *o.aliases_ar))
    places = _line_keys(n for p in registry.places.values() for n in p.aliases_ar)
    return outlets, places


def _published(page: Page, today: date) -> date | None:
    """The first date on the page's date lines (header furniture), if any."""
    for line in page.meta_lines:
        found = find_dates(line, tokenize(line), today).dates
        if found:
            return found[0].date
    return None


def _lead_index(page: Page) -> int | None:
    """The first real paragraph (not a subheading): where the main event is told."""
    for index, paragraph in enumerate(page.paragraphs):
        if len(paragraph.split()) >= _LEAD_MIN_WORDS:
            return index
    return None


def _summary(page: Page, lead: int | None) -> str:
    """The lead's first sentences, cut on a word boundary when one sentence runs on."""
    if lead is None:
        return page.title or ""
    summary = ""
    for sentence in _SENTENCE.split(_without_dateline(page, lead)):
        if summary and len(summary) + len(sentence) > SUMMARY_MAX_CHARS:
            break
        summary = f"{summary} {sentence}".strip()
        if len(summary) >= SUMMARY_MAX_CHARS // 2:
            break
    if len(summary) > SUMMARY_MAX_CHARS:
        summary = summary[:SUMMARY_MAX_CHARS].rsplit(" ", 1)[0].rstrip("،, ") + "…"
    return summary


def _without_dateline(page: Page, index: int) -> str:
    """Paragraph `index` without the dateline the article opens with ("الرباط - (ومع) - ")."""
    paragraph = page.paragraphs[index]
    return paragraph[len(page.dateline) :] if index == 0 else paragraph


def _event_date(
    tokens: list[Token], lead: tuple[int, int], found: DateScan, published: date | None
) -> str | None:
    """First day of the main event: the lead's first date, a month, or 'اليوم' + publication."""
    if lead[1] <= lead[0]:
        return None
    lead_tokens = tokens[lead[0] : lead[1]]
    start, end = lead_tokens[0].start, lead_tokens[-1].end
    in_lead = [d for d in found.dates if start <= d.start < end]
    if in_lead:
        first_phrase = [d.date for d in in_lead if d.start == in_lead[0].start]
        return min(first_phrase).isoformat()
    months = [month for month, offset in found.months if start <= offset < end]
    if months:
        return months[0]
    if mentions_past(lead_tokens):
        return None
    relative = relative_date(lead_tokens, published)
    return relative.isoformat() if relative else None


def extract_facts(
    text: str, source: str, today: date | None = None, registry: Registry | None = None
) -> dict:
    """The facts of one raw article, with exactly the FACTS.md keys."""
    registry = registry or default_registry()
    today = today or date.today()
    page = clean(text, *_header_names(registry))
    title = page.title or ""
    full = "\n".join([title, *page.paragraphs])
    tokens = tokenize(full)
    title_end = next((i for i, t in enumerate(tokens) if t.start > len(title)), len(tokens))
    lead_index = _lead_index(page)
    lead = _paragraph_tokens(tokens, page, lead_index, len(title) + 1)

    published = _published(page, today)
    reference = published or today
    scan_result = find_dates(full, tokens, reference, [published.year] if published else [])
    dates = _date_list(scan_result.dates, published, page)

    matches = scan(tokens, gazetteer(registry))
    entities = drop_name_words(tokens, resolve(matches))
    officials = find_officials(full, tokens, entities, registry)
    facts = {
        "source": source,
        "title_ar": page.title,
        "outlet_ar": page.outlet,
        "author_ar": page.author,
        "published": published.isoformat() if published else None,
        "event_date": _event_date(tokens, lead, scan_result, published),
        "dates": dates,
        "officials": officials,
        "countries": find_countries(entities, title_end, lead, officials, registry),
        "places": find_places(tokens, entities, title_end, registry),
        "topics": find_topics(matches, registry),
        "summary_ar": _summary(page, lead_index),
        "body_ar": page.body,
    }
    return facts


def _paragraph_tokens(
    tokens: list[Token], page: Page, index: int | None, offset: int
) -> tuple[int, int]:
    """Token range of paragraph `index` in the analysed text (title + newline + paragraphs)."""
    if index is None:
        return (0, 0)
    start = offset + sum(len(p) + 1 for p in page.paragraphs[:index])
    end = start + len(page.paragraphs[index])
    if index == 0:
        start += len(page.dateline)  # its date is the page's, not the event's
    first = next((i for i, t in enumerate(tokens) if t.start >= start), len(tokens))
    last = next((i for i in range(first, len(tokens)) if tokens[i].start >= end), len(tokens))
    return first, last


def _date_list(found: list[FoundDate], published: date | None, page: Page) -> list[dict]:
    """One entry per calendar date, first span kept; the page's own date line included."""
    out: dict[str, dict] = {}
    for item in found:
        out.setdefault(item.date.isoformat(), {"date": item.date.isoformat(), "text": item.text})
    if published and published.isoformat() not in out:
        meta = next((line for line in page.meta_lines), "")
        out[published.isoformat()] = {"date": published.isoformat(), "text": meta}
    return sorted(out.values(), key=lambda d: d["date"])
