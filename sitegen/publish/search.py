"""The site's search: one Pagefind index per language, from records we write.

Pagefind indexes the text we give it, not the rendered pages: Arabic is fed in
the extractor's normalised form (see `search_text`) so bare words find their
prefixed and variant spellings, while the original title and excerpt travel
as the record's meta for the result list to show. Each language gets its own
bundle at `<out>/<lang>/pagefind/`, next to the rules the browser uses to
normalise queries (`<out>/<lang>/pagefind/sitegen-rules.json`).

Records reach Pagefind as one small HTML file each, indexed with one
`add_directory` call: the Python API's `add_custom_record` costs a 100 ms
round trip per record in its service loop, which would make indexing a few
thousand articles take minutes instead of a second.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import escape
from pathlib import Path

from pagefind.index import PagefindIndex

from sitegen.publish.search_text import browser_rules, index_text

__all__ = ["RULES_FILE", "SearchDocument", "build_search_index", "record_html"]

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
    with tempfile.TemporaryDirectory(prefix="sitegen-search-") as tmp:
        for language, docs in by_language.items():
            shutil.rmtree(out_dir / language / "pagefind", ignore_errors=True)  # no stale files
            _write_records(Path(tmp) / language, docs)
        # Pagefind's API is async; a thread of our own keeps it working when
        # the caller already runs an event loop (the dev server, a browser test).
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, _index_all(Path(tmp), out_dir, list(by_language))).result()
    for language in by_language:
        rules = json.dumps(browser_rules(language), ensure_ascii=False, sort_keys=True)
        (out_dir / language / "pagefind" / RULES_FILE).write_text(rules + "\n", encoding="utf-8")


def record_html(doc: SearchDocument) -> str:
    """The page Pagefind reads for `doc`: indexed text in the body, originals as meta."""
    content = escape(index_text(f"{doc.title}\n{doc.text}", doc.language))
    return (
        f'<!doctype html><html lang="{escape(doc.language)}"><head><meta charset="utf-8">'
        f"<title>{escape(doc.title)}</title></head><body>"
        f'<p data-pagefind-meta="title">{escape(doc.title)}</p>'
        f'<p data-pagefind-meta="excerpt">{escape(doc.excerpt)}</p>'
        f"<div data-pagefind-body>{content}</div></body></html>\n"
    )


def _write_records(folder: Path, docs: list[SearchDocument]) -> None:
    """One file per record, at the path that gives Pagefind the record's URL."""
    for doc in docs:
        relative = doc.url.strip("/")
        path = folder / relative / "index.html" if doc.url.endswith("/") else folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record_html(doc), encoding="utf-8")


async def _index_all(records: Path, out_dir: Path, languages: list[str]) -> None:
    """The languages' bundles side by side."""
    jobs = [_index(records / lang, out_dir / lang / "pagefind") for lang in languages]
    await asyncio.gather(*jobs)


async def _index(records: Path, bundle: Path) -> None:
    """Index one language's record files; the bundle is written on exit."""
    async with PagefindIndex(config={"output_path": str(bundle)}) as index:
        await index.add_directory(str(records))
