"""Time and memory of `build_search_index`: Arabic normalisation, then Pagefind, per language.

Usage: uv run python benchmarks/bench_search.py [CORPUS_DIR] [--n 2000]
       uv run python benchmarks/bench_search.py --content CONTENT_DIR

Without CORPUS_DIR a corpus of raw articles is made with
../shared/bench/make_articles.py in a temporary folder. Each article becomes
one Arabic and one English search document (the English one gets the Arabic
text too, as the build gives it the Arabic body), so the index holds 2 × N
records. With --content, the documents are the ones `sitegen build` indexes
for that content folder (articles and officials, both languages).

Prints the normalisation time (fresh memo), then three runs of
build_search_index: without a cache, with an empty cache, and with the cache
after one document changed; for each the wall time, the time spent in
Pagefind, and Pagefind's peak memory (the largest child process). The output
goes to a folder under /dev/shm when it exists (RAM-backed, steadier figures).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from corpus import corpus_folder  # benchmarks/corpus.py (scripts run from this folder)

from sitegen.publish import search, search_text
from sitegen.publish.search import SearchDocument, build_search_index
from sitegen.publish.search_text import index_terms


def _documents(corpus: Path) -> list[SearchDocument]:
    docs = []
    for i, path in enumerate(sorted(corpus.glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        title = next((line for line in text.splitlines() if len(line) > 30), path.stem)
        for lang in ("ar", "en"):
            url = f"/{lang}/articles/a{i}/"
            docs.append(SearchDocument(url, lang, title, text, text[:200]))
    return docs


def _site_documents(content: Path) -> list[SearchDocument]:
    """The documents `sitegen build` gives the index for `content`."""
    from sitegen import render
    from sitegen.publish import search_documents
    from sitegen.settings import load_settings
    from sitegen.site import load_site

    site = load_site(content, load_settings(content))
    renderer = render.Renderer(site, render.TEMPLATES_DIR)
    return [SearchDocument(**doc) for doc in search_documents(renderer)]


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class _PagefindClock:
    """Wall time spent in Pagefind's runs, and their peak memory."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.run = search._run_pagefind
        search._run_pagefind = self._timed

    def _timed(self, records: Path, bundle: Path) -> None:
        started = time.perf_counter()
        self.run(records, bundle)
        self.seconds += time.perf_counter() - started

    def lap(self) -> float:
        seconds, self.seconds = self.seconds, 0.0
        return seconds


def _peak_child_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _run(label: str, out: Path, docs, clock: _PagefindClock, cache: Path | None) -> None:
    started = time.perf_counter()
    build_search_index(out, docs, cache_dir=cache)
    total = time.perf_counter() - started
    pagefind = clock.lap()
    print(
        f"{label}: {total:.2f} s ({total - pagefind:.2f} s records, {pagefind:.2f} s Pagefind),"
        f" {len(docs) / total:.0f} documents/s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--content", type=Path, help="index this site's documents instead")
    args = parser.parse_args(argv)
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        if args.content is not None:
            docs = _site_documents(args.content)
        else:
            docs = _documents(corpus_folder(args.corpus, args.n, tmp))
        search_text._MEMO.clear()
        started = time.perf_counter()
        words = sum(len(index_terms(f"{d.title}\n{d.text}", d.language).split()) for d in docs)
        normalised = time.perf_counter() - started
        languages = sorted({d.language for d in docs})
        print(f"documents: {len(docs)} ({', '.join(languages)})")
        print(f"normalisation, fresh memo: {normalised:.2f} s ({words} indexed words)")
        clock = _PagefindClock()
        out, cache = Path(tmp) / "public", Path(tmp) / "cache"
        search_text._MEMO.clear()
        _run("no cache", out, docs, clock, None)
        print(f"Pagefind peak memory: {_peak_child_mb():.0f} MB (one language at a time)")
        search_text._MEMO.clear()
        _run("empty cache", out, docs, clock, cache)
        changed = replace(docs[0], text=docs[0].text + " تعديل")
        search_text._MEMO.clear()
        _run("one document changed, cache", out, [changed, *docs[1:]], clock, cache)
        for lang in languages:
            print(f"bundle {lang}: {_size(out / lang / 'pagefind') / 1e6:.1f} MB on disk")
    return 0


if __name__ == "__main__":
    sys.exit(main())
