"""Benchmark `sitegen ingest`: articles per second on one core, cold and re-ingest.

    uv run python benchmarks/bench_ingest.py [--n 2000] [--generator PATH] [--profile]

Generates a synthetic corpus with ../shared/bench/make_articles.py into a
temporary folder, ingests it into a temporary content folder (with a copy of
the repository's registry) and prints three figures:

- cold: first ingest, every article extracted and written;
- re-ingest: nothing changed, extraction skipped by source hash;
- forced: every article extracted again and merged with the existing files.

The target is >= 300 articles/s for a cold ingest on one core. Ingest runs on
one core, so articles per CPU-second is the figure that does not depend on
what else the machine is doing; wall-clock rate is printed beside it.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GENERATOR = REPO.parent / "shared" / "bench" / "make_articles.py"
TODAY = date(2026, 11, 23)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="number of articles")
    parser.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR)
    parser.add_argument("--profile", action="store_true", help="print the top of a cold profile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as tmp:
        corpus, content_dir = Path(tmp) / "corpus", Path(tmp) / "content"
        subprocess.run(
            [sys.executable, str(args.generator), "--n", str(args.n), "--out", str(corpus)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        shutil.copytree(REPO / "content" / "registry", content_dir / "registry")
        files = len(list(corpus.glob("*.txt")))
        print(f"corpus: {files} articles ({_size(corpus)} KB)")
        _warm_up(corpus, Path(tmp) / "warm")
        _run("cold", corpus, content_dir, files, profile=args.profile)
        _run("re-ingest", corpus, content_dir, files)
        _run("forced", corpus, content_dir, files, force=True)
    return 0


def _warm_up(corpus: Path, content_dir: Path) -> None:
    """Import modules and build registry caches once, as a long run amortises them."""
    from sitegen.ingest import ingest

    shutil.copytree(REPO / "content" / "registry", content_dir / "registry")
    ingest(sorted(corpus.glob("*.txt"))[:5], content_dir, today=TODAY)


def _run(label: str, corpus: Path, content_dir: Path, files: int, **kwargs) -> None:
    from sitegen.ingest import ingest

    profile = kwargs.pop("profile", False)
    profiler = cProfile.Profile() if profile else None
    start, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    report = ingest([corpus], content_dir, today=TODAY, **kwargs)
    if profiler:
        profiler.disable()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"{label:>10}: {files / cpu:6.0f} articles/s of CPU, {files / seconds:6.0f} of wall time  "
        f"({cpu:.2f} s CPU, {seconds:.2f} s wall; "
        f"{len(report.created)} new, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {report.extracted} extracted, "
        f"{len(report.problems)} problems)"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.txt")) // 1024


if __name__ == "__main__":
    sys.exit(main())
