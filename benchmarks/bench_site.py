"""Benchmark the maintainer's loop at scale: ingest, cold build, rebuilds, serve.

    uv run python benchmarks/bench_site.py [--n 10000] [--out /dev/shm/sitegen-bench]
                                           [--no-search] [--reuse] [--no-serve]

Makes N raw articles with ../shared/bench/make_articles.py, then runs each
step as its own `sitegen` process and prints, per step: articles/s, pages
rendered, wall seconds and peak memory. Peak memory is given twice: the
largest single process (ru_maxrss from wait4, which covers the forked render
workers one by one) and the whole process tree (the sum of proportional set
sizes, sampled every 100 ms, so shared pages of forked workers count once).
Sampling slows the process it measures (reading a 400 MB process's
smaps_rollup takes ~5 ms and holds its memory map lock: +0.3 to 0.9 s on the
cold build), so each step runs twice from the same starting state: once
unsampled, which gives the wall time and ru_maxrss, then once sampled, which
gives the tree's peak.

Steps: ingest; cold build (no cache, no output); no-change rebuild; a
one-article change from the command line; then four edits of that article in
a running `sitegen serve`, 5 s apart (time from saving the file to the rebuild
being done, which includes noticing the change; with search, also the time
until the search index, re-indexed after the page reloads, is up to date).
Write to a RAM-backed folder: on disk, deleting and rewriting 20,000 files
makes each following run slower.

The same machine runs the same build a third slower on one day than on
another, and drifts by a few per cent within an hour. So the figures come
with a yardstick: a fixed workload of pure Python (`yardstick`, nothing of
sitegen), timed before and after the steps. Compare two runs' figures
against their yardsticks, not only against each other.

Targets at N = 10,000 on 2 cores: ingest >= 300 articles/s; cold build <= 8 s;
no-change and one-article rebuilds <= 1 s; peak memory <= 800 MB.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GENERATOR = REPO.parent / "shared" / "bench" / "make_articles.py"
TODAY = "2026-11-23"
SITEGEN = [sys.executable, "-m", "sitegen.cli"]
# Seconds between `sitegen serve` saying it serves and the edit: its first build
# and warm-up are done by then; this lets its idle work (writing the build cache,
# collecting garbage, 3 s after a build) pass too, so the edit meets an idle server.
SETTLE = 5.0
SERVE_EDITS = 4
# Each step is a new Python process, as a maintainer's command is. Python caches
# compiled modules (.pyc) unless PYTHONDONTWRITEBYTECODE is set, as it is on some
# CI and sandbox machines; there every step would compile every module again
# (~0.3 s). The steps run with Python's default, and `warm_up` imports first.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Step:
    name: str
    seconds: float
    maxrss_mb: float
    tree_mb: float
    pages: str = ""
    rate: str = ""
    output: str = ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of articles")
    parser.add_argument("--out", type=Path, default=Path("/dev/shm/sitegen-bench"))
    parser.add_argument("--no-search", action="store_true", help="build without the search index")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse corpus and content of a past run"
    )
    parser.add_argument("--no-serve", action="store_true", help="skip the serve step")
    parser.add_argument("--jobs", type=int, default=None, help="render processes")
    args = parser.parse_args()
    warm_up()
    before = yardstick()
    steps = run_all(args)
    after = yardstick()
    print(table(steps, args.n))
    print(
        f"yardstick (a fixed pure-Python workload, best of 5): {before:.3f} s before, "
        f"{after:.3f} s after"
    )
    return 0


def yardstick() -> float:
    """Seconds of `_yardstick_run`, in a process of its own: this one stays small,
    as the steps' ru_maxrss counts what their parent held when it started them."""
    code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
    code += "import bench_site; print(bench_site._yardstick_run())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout)


def _yardstick_run(runs: int = 5) -> float:
    """Best seconds of a fixed single-core workload like a build's: make, pickle
    and unpickle 60,000 small records, format and sort their strings."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        records = [
            {"n": i, "slug": f"article-{i:05d}", "words": [str(i)] * 8} for i in range(60_000)
        ]
        pickle.loads(pickle.dumps(records, pickle.HIGHEST_PROTOCOL))
        sorted(f"{r['slug']}/{'-'.join(r['words'])}" for r in records)
        best = min(best, time.perf_counter() - started)
    return best


def warm_up() -> None:
    """Import what the steps import once, so Python has cached the compiled modules."""
    code = "import sitegen.incremental, sitegen.render, sitegen.serve, sitegen.validate, "
    code += "sitegen.publish.search, sitegen.ingest"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=ENV, check=True)


def run_all(args: argparse.Namespace) -> list[Step]:
    out: Path = args.out
    raw, content, public, cache = out / "raw", out / "content", out / "public", out / "cache"
    steps: list[Step] = []
    if not (args.reuse and content.is_dir()):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        subprocess.run(
            [sys.executable, str(GENERATOR), "--n", str(args.n), "--out", str(raw)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        shutil.copytree(REPO / "content" / "registry", content / "registry")
        shutil.copy(REPO / "content" / "site.yaml", content / "site.yaml")
        ingest = ["ingest", str(raw), "--content", str(content), "--today", TODAY]
        step = measure("ingest", ingest, again=lambda: shutil.rmtree(content / "articles"))
        step.rate = f"{args.n / step.seconds:.0f} articles/s"
        steps.append(step)
    shutil.rmtree(public, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    build = ["build", "--content", str(content), "--out", str(public), "--cache", str(cache)]
    build += ["--no-search"] if args.no_search else []
    build += ["--jobs", str(args.jobs)] if args.jobs else []

    def clean() -> None:
        shutil.rmtree(public, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

    steps.append(_build_step("cold build", build, args.n, again=clean))
    steps.append(_build_step("no-change rebuild", build, args.n, again=lambda: None))
    edited = _edit_one(content, "تعديل أول للاختبار")
    edit_again = lambda: _edit_one(content, "تعديل ثان للاختبار")  # noqa: E731
    steps.append(_build_step("one-article change", build, args.n, again=edit_again))
    if not args.no_serve:
        steps.extend(serve_step(build[1:], edited, args.no_search))
    return steps


def _build_step(name: str, command: list[str], n: int, again: Callable[[], object]) -> Step:
    step = measure(name, command, again)
    match = re.search(r"built (\d+) pages(?: \((\d+) rendered\))?", step.output)
    if match:
        step.pages = f"{match.group(2) or match.group(1)} of {match.group(1)}"
    step.rate = f"{n / step.seconds:.0f} articles/s"
    return step


def _edit_one(content: Path, text: str) -> Path:
    """Append a sentence to the body of one article (the middle one, by name)."""
    files = sorted((content / "articles").glob("*.md"))
    path = files[len(files) // 2]
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    stamp = time.time_ns() - 5 * 10**9  # older than the cache's racy window
    os.utime(path, ns=(stamp, stamp))
    return path


# --- measuring one process ----------------------------------------------------------------


def measure(name: str, command: list[str], again: Callable[[], object]) -> Step:
    """Run `sitegen COMMAND` unsampled (wall time, ru_maxrss), then `again()` puts
    back the starting state and a second, sampled run gives the tree's peak PSS."""
    step = _run(name, command, sample=False)
    again()
    step.tree_mb = _run(name, command, sample=True).tree_mb
    return step


def _run(name: str, command: list[str], sample: bool) -> Step:
    started = time.perf_counter()
    proc = subprocess.Popen(
        SITEGEN + command,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=ENV,
    )
    sampler = TreeSampler(proc.pid)
    if sample:
        sampler.start()
    output = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if sample:
        sampler.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{name}: sitegen {' '.join(command)} failed ({proc.returncode})")
    return Step(name, seconds, usage.ru_maxrss / 1024, sampler.peak_mb, output=output)


class TreeSampler(threading.Thread):
    """Peak total PSS of a process and its descendants, sampled from /proc."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_mb = 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak_mb = max(self.peak_mb, sum(map(_pss_mb, _tree(self.pid))))
            time.sleep(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    pids, i = [pid], 0
    while i < len(pids):
        try:
            children = Path(f"/proc/{pids[i]}/task/{pids[i]}/children").read_text().split()
        except OSError:
            children = []
        pids += [int(c) for c in children]
        i += 1
    return pids


def _pss_mb(pid: int) -> float:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) / 1024 if match else 0.0


# --- the same edit inside `sitegen serve` ------------------------------------------------------


def serve_step(build_args: list[str], edited: Path, no_search: bool) -> list[Step]:
    """Seconds from saving a file to `sitegen serve` having rebuilt the site, per edit.

    SERVE_EDITS edits of the same article, SETTLE seconds apart (an editor
    reading the reloaded page): the first shows a server just started. The
    times are those of an unsampled server, the peaks those of a second one.
    """
    steps = _serve_edits(build_args, edited, no_search, sample=False)
    sampled = _serve_edits(build_args, edited, no_search, sample=True)
    for step, peak in zip(steps, sampled, strict=True):
        step.tree_mb = peak.tree_mb
    return steps


def _serve_edits(build_args: list[str], edited: Path, no_search: bool, sample: bool) -> list[Step]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    options = dict(zip(build_args[::2], build_args[1::2], strict=False))
    command = [*SITEGEN, "serve", "--port", str(port), "--content", options["--content"]]
    command += ["--out", options["--out"], "--cache", options["--cache"], "--base-url", "/"]
    command += ["--no-search"] if no_search else []
    proc = subprocess.Popen(
        command, cwd=REPO, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=ENV
    )
    sampler = TreeSampler(proc.pid)
    if sample:
        sampler.start()
    steps = []
    try:
        _read_until(proc, "serve: http")
        for number in range(1, SERVE_EDITS + 1):
            time.sleep(SETTLE)  # an editor saves once the server is idle (see SETTLE)
            text = edited.read_text(encoding="utf-8") + f"\nتعديل في الخادم {number}\n"
            saved = time.perf_counter()
            edited.write_text(text, encoding="utf-8")
            line = _read_until(proc, "serve: rebuilt in")
            step = _serve_edit(number, time.perf_counter() - saved, line, sampler)
            if not no_search:  # serve re-indexes after the reload; say when search caught up
                searched = _read_until(proc, "serve: search index")
                step.rate += _search_lag(searched, time.perf_counter() - saved)
            steps.append(step)
    finally:
        proc.terminate()  # serve writes its build cache, then stops
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            print("sitegen serve did not stop within 60 s of SIGTERM: killed", file=sys.stderr)
            proc.kill()
            proc.wait()
        if sample:
            sampler.stop()
    return steps


def _serve_edit(number: int, seconds: float, line: str, sampler: TreeSampler) -> Step:
    match = re.search(r"rebuilt in ([\d.]+) s: (\d+) of (\d+)", line)
    step = Step(f"edit {number} in serve", seconds, 0.0, sampler.peak_mb)
    if match:
        step.pages = f"{match.group(2)} of {match.group(3)}"
        step.rate = f"rebuild {match.group(1)} s"
    return step


def _search_lag(line: str, seconds: float) -> str:
    if "updated in" not in line:
        return f", search failed: {line.strip()}"
    return f", search {seconds:.2f} s"


def _read_until(proc: subprocess.Popen, marker: str) -> str:
    assert proc.stderr is not None
    for line in proc.stderr:
        if marker in line:
            return line
    raise SystemExit(f"sitegen serve ended before '{marker}'")


# --- report -------------------------------------------------------------------------------------


def table(steps: list[Step], n: int) -> str:
    rows = [
        f"N = {n} articles, {os.cpu_count()} cores",
        "| step | wall s | rate | pages rendered | max RSS MB | tree PSS MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for s in steps:
        rss = f"{s.maxrss_mb:.0f}" if s.maxrss_mb else "-"
        rows.append(
            f"| {s.name} | {s.seconds:.2f} | {s.rate} | {s.pages} | {rss} | {s.tree_mb:.0f} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
