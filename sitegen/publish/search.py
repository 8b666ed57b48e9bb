"""The site's search: one Pagefind index per language, from records we write.

Pagefind indexes the text we give it, not the rendered pages: Arabic is fed in
the extractor's normalised form (see `search_text`) so bare words find their
prefixed and variant spellings, while the original title and excerpt travel
as the record's meta for the result list to show. Each language gets its own
bundle at `<out>/<lang>/pagefind/`, next to the rules the browser uses to
normalise queries (`<out>/<lang>/pagefind/sitegen-rules.json`).

Records reach Pagefind as one small HTML file each, indexed by Pagefind's
binary run over their folder: the Python API's `add_custom_record` costs a
100 ms round trip per record in its service loop, which would make indexing
a few thousand articles take minutes instead of a second, and its
`add_directory` does what the command line does with more overhead.

Cost at scale (10,000 articles, 21,000 records): Pagefind's time and memory
grow with the pages and the words it is fed, so a record carries each indexed
word once (`index_terms`; the title's words again in a heading, which
Pagefind weighs above body text), and the languages are indexed one after
the other, so only one index is held in memory at a time. With `cache_dir`,
each record's indexed text is kept between builds, keyed by a hash of the
record and of the normalising code, so a changed article is normalised alone.
Pagefind itself cannot update an index: every call indexes all the records
of a language again.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path

from pagefind.service import get_executable

from sitegen.publish import search_text
from sitegen.publish.search_text import browser_rules, index_terms

__all__ = ["RULES_FILE", "SearchDocument", "build_search_index", "record_html"]

RULES_FILE = "sitegen-rules.json"
CACHE_FILE = "search-records-{language}.pickle"


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


def build_search_index(
    out_dir: Path, documents: list[SearchDocument], cache_dir: Path | None = None
) -> None:
    """Write a Pagefind bundle per language under `out_dir/<lang>/pagefind/`.

    `cache_dir` (e.g. the build's `.sitegen-cache/`) keeps each record's
    indexed text for the next call; None normalises every record afresh.
    """
    out_dir = Path(out_dir)
    by_language: dict[str, list[SearchDocument]] = defaultdict(list)
    for doc in documents:
        by_language[doc.language].append(doc)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Next to the output, not in /tmp: the same (often RAM-backed) file system.
    with tempfile.TemporaryDirectory(prefix=".sitegen-search-", dir=out_dir.parent) as tmp:
        for language, docs in by_language.items():
            shutil.rmtree(out_dir / language / "pagefind", ignore_errors=True)  # no stale files
            records = Path(tmp) / language
            _write_records(records, docs, _RecordCache(cache_dir, language))
            _run_pagefind(records, out_dir / language / "pagefind")
            shutil.rmtree(records)
    for language in by_language:
        rules = json.dumps(browser_rules(language), ensure_ascii=False, sort_keys=True)
        (out_dir / language / "pagefind" / RULES_FILE).write_text(rules + "\n", encoding="utf-8")


def record_html(doc: SearchDocument) -> str:
    """The page Pagefind reads for `doc`: indexed text in the body, originals as meta."""
    return _page(doc, record_body(doc))


def record_body(doc: SearchDocument) -> str:
    """The indexed part of `doc`'s page: the title's words as a heading, then every word once."""
    title = escape(index_terms(doc.title, doc.language))
    words = escape(index_terms(f"{doc.title}\n{doc.text}", doc.language))
    return f"<h1>{title}</h1><p>{words}</p>"


def _page(doc: SearchDocument, body: str) -> str:
    return (
        f'<!doctype html><html lang="{escape(doc.language)}"><head><meta charset="utf-8">'
        f"<title>{escape(doc.title)}</title></head><body>"
        f'<p data-pagefind-meta="title">{escape(doc.title)}</p>'
        f'<p data-pagefind-meta="excerpt">{escape(doc.excerpt)}</p>'
        f"<div data-pagefind-body>{body}</div></body></html>\n"
    )


def _write_records(folder: Path, docs: list[SearchDocument], cache: _RecordCache) -> None:
    """One file per record, at the path that gives Pagefind the record's URL."""
    made: set[Path] = set()
    for doc in docs:
        relative = doc.url.strip("/")
        path = folder / relative / "index.html" if doc.url.endswith("/") else folder / relative
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(_page(doc, cache.body(doc)), encoding="utf-8")
    cache.save()


class _RecordCache:
    """Indexed record bodies by a hash of the record, kept in `cache_dir` between builds.

    Only the records of the last call are kept, so the file follows the site's size.
    The key covers the normalising code: a change to it normalises everything again.
    """

    def __init__(self, cache_dir: Path | None, language: str) -> None:
        self.path = (
            None if cache_dir is None else Path(cache_dir) / CACHE_FILE.format(language=language)
        )
        self.old: dict[bytes, str] = self._load()
        self.new: dict[bytes, str] = {}

    def _load(self) -> dict[bytes, str]:
        if self.path is None:
            return {}
        try:
            with self.path.open("rb") as handle:
                stored = pickle.load(handle)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
            return {}
        ok = isinstance(stored, dict) and stored.get("code") == _code_digest()
        return stored.get("records", {}) if ok else {}

    def body(self, doc: SearchDocument) -> str:
        if self.path is None:
            return record_body(doc)
        text = "\0".join((doc.language, doc.title, doc.text)).encode("utf-8", "surrogatepass")
        digest = hashlib.blake2b(text, digest_size=16).digest()
        body = self.old.get(digest)
        if body is None:
            body = record_body(doc)
        self.new[digest] = body
        return body

    def save(self) -> None:
        if self.path is None or self.new == self.old:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            data = {"code": _code_digest(), "records": self.new}
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)


def _code_digest() -> str:
    """The code that makes a record body: this module, the normaliser and camel-tools."""
    import camel_tools

    from sitegen.extract import text

    digest = hashlib.sha256(getattr(camel_tools, "__version__", "").encode())
    for module in (text, search_text):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


def _run_pagefind(records: Path, bundle: Path) -> None:
    """Index one language's record files with Pagefind's binary, run over the folder.

    The binary the Python API would start (from the `pagefind[bin]` wheel),
    run as its command line: the same bundle, byte for byte, for a tenth less
    time than the API's service, and no event loop to share with the caller.
    """
    binary = get_executable()
    if binary is None:
        raise FileNotFoundError("Pagefind's binary is missing: install pagefind[bin]")
    command = [str(binary), "--site", str(records), "--output-path", str(bundle.resolve())]
    result = subprocess.run([*command, "--silent"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"pagefind failed ({result.returncode}): {result.stderr.strip()}")
