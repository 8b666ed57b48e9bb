"""Time of `build_search_index`: Arabic normalisation, then Pagefind, per document.

Usage: uv run python benchmarks/bench_search.py [CORPUS_DIR] [--n 2000]

Without CORPUS_DIR a corpus of raw articles is made with
../shared/bench/make_articles.py in a temporary folder. Each article becomes
one Arabic and one English search document (the English one gets the Arabic
text too, as the build gives it the Arabic body), so the index holds 2 × N
records. Prints the normalisation time, the whole indexing time, documents per
second and the size of the bundles a browser downloads from.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sitegen.publish.search import SearchDocument, build_search_index
from sitegen.publish.search_text import index_text

ROOT = Path(__file__).resolve().parent.parent
MAKER = ROOT.parent / "shared" / "bench" / "make_articles.py"


def _corpus(folder: Path | None, n: int, tmp: str) -> Path:
    if folder is not None:
        return folder
    out = Path(tmp) / "corpus"
    subprocess.run([sys.executable, str(MAKER), "--n", str(n), "--out", str(out)], check=True)
    return out


def _documents(corpus: Path) -> list[SearchDocument]:
    docs = []
    for i, path in enumerate(sorted(corpus.glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        title = next((line for line in text.splitlines() if len(line) > 30), path.stem)
        for lang in ("ar", "en"):
            url = f"/{lang}/articles/a{i}/"
            docs.append(SearchDocument(url, lang, title, text, text[:200]))
    return docs


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        docs = _documents(_corpus(args.corpus, args.n, tmp))
        started = time.perf_counter()
        words = sum(len(index_text(d.text, d.language).split()) for d in docs if d.language == "ar")
        normalised = time.perf_counter() - started
        out = Path(tmp) / "public"
        started = time.perf_counter()
        build_search_index(out, docs)
        total = time.perf_counter() - started
        print(f"documents: {len(docs)} ({len(docs) // 2} per language)")
        print(f"Arabic normalisation (cold cache): {normalised:.2f} s ({words} indexed words)")
        print(f"build_search_index: {total:.2f} s, {len(docs) / total:.0f} documents/s")
        for lang in ("ar", "en"):
            print(f"bundle {lang}: {_size(out / lang / 'pagefind') / 1e6:.1f} MB on disk")
    return 0


if __name__ == "__main__":
    sys.exit(main())
