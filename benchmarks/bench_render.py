"""Benchmark page rendering alone: CPU milliseconds per page, by page kind.

    uv run python benchmarks/bench_render.py [--content /dev/shm/bench/content]
                                             [--limit 3000] [--kinds article,...]
                                             [--profile FILE]

Builds the Site once (not timed), plans every page, then renders up to
`--limit` jobs of each kind and prints, per kind: jobs, CPU ms per page and
the estimated CPU seconds for all jobs of that kind. Times are CPU time of
this process (`time.process_time`), so other work on the machine changes
them little. Each kind is rendered twice: on a fresh Renderer ("cold": its
memos of fragments, links and parts empty, as a forked worker that the
parent did not warm) and again on the same one ("warm").
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import time
from pathlib import Path

from sitegen import render
from sitegen.registry import load_registry
from sitegen.settings import load_settings
from sitegen.site import build_site, read_articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=Path("/dev/shm/bench/content"))
    parser.add_argument("--limit", type=int, default=3000, help="jobs rendered per kind")
    parser.add_argument("--kinds", help="only these page kinds, comma-separated")
    parser.add_argument("--profile", type=Path, help="write a cProfile of all cold renders here")
    args = parser.parse_args()

    settings = load_settings(args.content)
    site = build_site(settings, load_registry(args.content), read_articles(args.content))
    digest = render.environment_digest(site, render.TEMPLATES_DIR, args.content)
    jobs = render.plan_pages(site, digest)
    by_kind: dict[str, list[render.PageJob]] = collections.defaultdict(list)
    for job in jobs:
        by_kind[job.kind].append(job)

    profiler = cProfile.Profile() if args.profile else None
    print(f"{len(jobs)} pages, {len(site.articles)} articles (CPU time)")
    print(f"{'kind':<16}{'jobs':>7}{'cold ms':>10}{'warm ms':>10}{'est cold s':>12}")
    total = 0.0
    kinds = set(args.kinds.split(",")) if args.kinds else set(by_kind)
    for kind, kind_jobs in sorted(by_kind.items(), key=lambda item: -len(item[1])):
        if kind not in kinds:
            continue
        sample = kind_jobs[: args.limit]
        render._BODIES.clear()  # the module-wide memo of article bodies, too
        renderer = render.Renderer(site, render.TEMPLATES_DIR)
        cold = _timed(renderer, sample, profiler)
        warm = _timed(renderer, sample, None)
        estimate = cold / len(sample) * len(kind_jobs)
        total += estimate
        print(
            f"{kind:<16}{len(kind_jobs):>7}{cold / len(sample) * 1000:>10.3f}"
            f"{warm / len(sample) * 1000:>10.3f}{estimate:>12.2f}"
        )
    print(f"{'total':<16}{len(jobs):>7}{'':>20}{total:>12.2f}")
    if profiler is not None:
        profiler.dump_stats(args.profile)


def _timed(
    renderer: render.Renderer, jobs: list[render.PageJob], profiler: cProfile.Profile | None
) -> float:
    """CPU seconds to render `jobs` in order."""
    if profiler is not None:
        profiler.enable()
    start = time.process_time()
    for job in jobs:
        renderer.render(job)
    elapsed = time.process_time() - start
    if profiler is not None:
        profiler.disable()
    return elapsed


if __name__ == "__main__":
    main()
