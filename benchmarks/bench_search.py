"""Time and memory of `build_search_index`: Arabic normalisation, then Pagefind, per language.

Usage: uv run python benchmarks/bench_search.py [CORPUS_DIR] [--n 2000]
       uv run python benchmarks/bench_search.py --content CONTENT_DIR [--documents FILE]

Without CORPUS_DIR a corpus of raw articles is made with
../shared/bench/make_articles.py in a temporary folder. Each article becomes
one Arabic and one English search document (the English one gets the Arabic
text too, as the build gives it the Arabic body), so the index holds 2 × N
records. With --content, the documents are the ones `sitegen build` indexes
for that content folder (articles and officials, both languages); --documents
keeps them in a pickle, as loading a 10,000-article site takes a while.

Prints the normalisation time (fresh memo), then, language by language, three
runs of build_search_index: without a cache, with an empty cache, and with
the cache after one document changed. For each: the wall time, the CPU time
of this process and of Pagefind (its processes' user + system time, which
the other jobs of a shared machine do not inflate as they do wall time), how
many times Pagefind ran, and Pagefind's peak memory (the proportional set
sizes of the Pagefind processes, summed and sampled every 20 ms, so runs
that overlap count together). $SITEGEN_SEARCH_SHARD_SIZE sets the records
per shard. The output goes to a folder under /dev/shm when it exists
(RAM-backed, steadier figures).
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from bench_site import TreeSampler  # benchmarks/bench_site.py (scripts run from this folder)
from corpus import corpus_folder  # benchmarks/corpus.py

from sitegen.publish import search_text
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


def _site_documents(content: Path, saved: Path | None) -> list[SearchDocument]:
    """The documents `sitegen build` gives the index for `content` (kept in `saved`)."""
    if saved is not None and saved.is_file():
        with saved.open("rb") as handle:
            return [SearchDocument(**doc) for doc in pickle.load(handle)]
    from sitegen import render
    from sitegen.publish import search_documents
    from sitegen.settings import load_settings
    from sitegen.site import load_site

    site = load_site(content, load_settings(content))
    renderer = render.Renderer(site, render.TEMPLATES_DIR)
    docs = list(search_documents(renderer))
    if saved is not None:
        with saved.open("wb") as handle:
            pickle.dump(docs, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return [SearchDocument(**doc) for doc in docs]


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class _PagefindRuns:
    """How many times Pagefind's binary ran (counted at `subprocess.run`)."""

    def __init__(self) -> None:
        self.count = 0
        self.run = subprocess.run
        subprocess.run = self._counted

    def _counted(self, command, *args, **kwargs):
        if "--site" in command:
            self.count += 1
        return self.run(command, *args, **kwargs)

    def lap(self) -> int:
        count, self.count = self.count, 0
        return count


@contextmanager
def _measured(label: str, runs: _PagefindRuns, records: int) -> Iterator[None]:
    """Print wall time, own and Pagefind CPU time, Pagefind runs and peak memory."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), _children_cpu()
    own_cpu = own.ru_utime + own.ru_stime
    sampler = _ChildrenSampler(os.getpid())
    sampler.start()
    started = time.perf_counter()
    yield
    wall = time.perf_counter() - started
    sampler.stop()
    now = resource.getrusage(resource.RUSAGE_SELF)
    python = now.ru_utime + now.ru_stime - own_cpu - sampler.cpu
    print(
        f"  {label}: {wall:.2f} s wall; CPU {python:.2f} s Python,"
        f" {_children_cpu() - children:.2f} s Pagefind ({runs.lap()} runs);"
        f" Pagefind peak {sampler.peak_mb:.0f} MB PSS; {records} records"
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class _ChildrenSampler(TreeSampler):
    """TreeSampler's peak PSS, of the Pagefind processes below this one only,
    and the CPU time the sampling itself took (`cpu`)."""

    def run(self) -> None:
        from bench_site import _pss_mb, _tree

        while not self._done.is_set():
            children = [pid for child in _children(self.pid) for pid in _tree(child)]
            pagefind = [pid for pid in children if _command(pid) == "pagefind"]
            self.peak_mb = max(self.peak_mb, sum(map(_pss_mb, pagefind)))
            time.sleep(self.interval)
        self.cpu = time.thread_time()  # reading smaps costs this process, not the build


def _children(pid: int) -> list[int]:
    """Child processes started by any thread of `pid` (Pagefind runs in worker threads)."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return children


def _command(pid: int) -> str:
    """The process's command name: a child still between fork and exec shares our memory."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _bench_language(docs: list[SearchDocument], tmp: Path, runs: _PagefindRuns) -> None:
    """Clean index, empty cache, then one changed document, for one language's records."""
    language = docs[0].language
    out, cache = tmp / f"public-{language}", tmp / f"cache-{language}"
    print(f"{language}:")
    search_text._MEMO.clear()
    with _measured("no cache", runs, len(docs)):
        build_search_index(out, docs, cache_dir=None)
    search_text._MEMO.clear()
    with _measured("empty cache", runs, len(docs)):
        build_search_index(out, docs, cache_dir=cache)
    middle = len(docs) // 2
    changed = [*docs[:middle], replace(docs[middle], text=docs[middle].text + " تعديل")]
    changed += docs[middle + 1 :]
    search_text._MEMO.clear()
    with _measured("one document changed, cache", runs, len(docs)):
        build_search_index(out, changed, cache_dir=cache)
    print(f"  bundle: {_size(out / language / 'pagefind') / 1e6:.1f} MB on disk")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--content", type=Path, help="index this site's documents instead")
    parser.add_argument("--documents", type=Path, help="pickle of --content's documents (kept)")
    args = parser.parse_args(argv)
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        if args.content is not None:
            docs = _site_documents(args.content, args.documents)
        else:
            docs = _documents(corpus_folder(args.corpus, args.n, tmp))
        search_text._MEMO.clear()
        started = time.perf_counter()
        words = sum(len(index_terms(f"{d.title}\n{d.text}", d.language).split()) for d in docs)
        normalised = time.perf_counter() - started
        languages = sorted({d.language for d in docs})
        print(f"documents: {len(docs)} ({', '.join(languages)})")
        print(f"normalisation, fresh memo: {normalised:.2f} s ({words} indexed words)")
        runs = _PagefindRuns()
        for language in languages:
            _bench_language([d for d in docs if d.language == language], Path(tmp), runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
