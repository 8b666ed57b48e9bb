"""The site's search: one Pagefind index per language, from custom records.

Pagefind indexes the text we give it, not the rendered HTML: Arabic is fed in
the extractor's normalised form (see `search_text`) so bare words find their
prefixed and variant spellings, while the original title and excerpt travel
in the record's meta for the result list to show. Each language gets its own
bundle at `<out>/<lang>/pagefind/`, next to the rules the browser uses to
normalise queries (`<out>/<lang>/pagefind/sitegen-rules.json`).
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pagefind.index import PagefindIndex

from sitegen.publish.search_text import browser_rules, index_text

__all__ = ["RULES_FILE", "SearchDocument", "build_search_index"]

RULES_FILE = "sitegen-rules.json"


@dataclass(frozen=True)
class SearchDocument:
    """One page to find.

    `url` is the page's path under the site root, e.g. "/ar/articles/<slug>/",
    without the deployment base path: the search page prefixes the site root
    it finds itself under, so the index is the same wherever the site lives.
    """

    url: str
    language: str
    title: str
    text: str
    excerpt: str


def build_search_index(out_dir: Path, documents: list[SearchDocument]) -> None:
    """Write a Pagefind bundle per language under `out_dir/<lang>/pagefind/`."""
    by_language: dict[str, list[SearchDocument]] = defaultdict(list)
    for doc in documents:
        by_language[doc.language].append(doc)
    for language in by_language:
        shutil.rmtree(out_dir / language / "pagefind", ignore_errors=True)  # no stale files
    # Pagefind's API is async; a thread of our own keeps it working when the
    # caller already runs an event loop (the dev server, a browser test).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _write_bundles(out_dir, by_language)).result()
    for language in by_language:
        rules = json.dumps(browser_rules(language), ensure_ascii=False, sort_keys=True)
        (out_dir / language / "pagefind" / RULES_FILE).write_text(rules + "\n", encoding="utf-8")


async def _write_bundles(out_dir: Path, by_language: dict[str, list[SearchDocument]]) -> None:
    """The languages' bundles side by side, each from its records sorted by URL."""
    await asyncio.gather(
        *(
            _write_bundle(out_dir / language / "pagefind", language, sorted(docs, key=_url))
            for language, docs in by_language.items()
        )
    )


def _url(doc: SearchDocument) -> str:
    return doc.url


async def _write_bundle(bundle: Path, language: str, docs: list[SearchDocument]) -> None:
    """Index `docs` in one Pagefind service; the bundle is written on exit."""
    async with PagefindIndex(config={"output_path": str(bundle)}) as index:
        for doc in docs:
            await index.add_custom_record(
                url=doc.url,
                content=index_text(f"{doc.title}\n{doc.text}", language),
                language=language,
                meta={"title": doc.title, "excerpt": doc.excerpt},
            )
