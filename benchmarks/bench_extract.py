"""Articles per second of `extract_facts` alone (no file reading, no writing).

Usage: uv run python benchmarks/bench_extract.py [CORPUS_DIR] [--n 2000]

Without CORPUS_DIR a corpus is made with ../shared/bench/make_articles.py in a
temporary folder. Texts are read first, so only extraction is timed; the
registry is compiled before the clock starts, as in a long ingest run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from corpus import corpus_folder  # benchmarks/corpus.py (scripts run from this folder)

from sitegen.extract import extract_facts
from sitegen.registry import default_registry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = corpus_folder(args.corpus, args.n, tmp)
        texts = [(p, p.read_text(encoding="utf-8")) for p in sorted(folder.rglob("*.txt"))]
    today = date(2026, 11, 23)
    registry = default_registry()
    extract_facts(texts[0][1], str(texts[0][0]), today, registry)  # compile once
    start, cpu_start = time.perf_counter(), time.process_time()
    for path, text in texts:
        extract_facts(text, str(path), today, registry)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    chars = sum(len(t) for _, t in texts)
    print(f"articles: {len(texts)}  chars: {chars}")
    print(f"wall: {elapsed:.2f} s  ->  {len(texts) / elapsed:.0f} articles/s")
    print(f"cpu:  {cpu:.2f} s  ->  {len(texts) / cpu:.0f} articles/s (one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
