"""Pages rendered in forked workers are the pages rendered in one process."""

from __future__ import annotations

import gc
from collections import Counter
from pathlib import Path

import pytest

from sitegen import render
from sitegen.registry import load_registry
from sitegen.settings import load_settings
from sitegen.site import build_site, read_articles

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "content"


@pytest.fixture(scope="module")
def site():
    return build_site(load_settings(FIXTURE), load_registry(FIXTURE), read_articles(FIXTURE))


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("workers", [2, 3])
def test_workers_write_every_page_once_as_one_process_does(
    site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    jobs = render.plan_pages(site, "base")
    assert {job.lang for job in jobs} >= {"ar", "en"}
    alone = render.write_pages(render.Renderer(site), jobs, tmp_path / "alone", workers=1)
    monkeypatch.setattr(render, "PARALLEL_MIN_JOBS", 0)
    monkeypatch.setattr(render, "CHUNK", 2)
    forked = render.write_pages(render.Renderer(site), jobs, tmp_path / "forked", workers=workers)
    assert alone == forked == len(jobs)
    written = _tree(tmp_path / "forked")
    assert written == _tree(tmp_path / "alone")
    assert len(written) == len({job.path for job in jobs})
    assert render._WORKER is None  # nothing of this build is kept for the next


def test_a_page_failing_in_a_worker_fails_the_build(
    site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = render.plan_pages(site, "base")
    broken = jobs[len(jobs) // 2]
    real = render.Renderer.render

    def render_or_fail(self, job):
        if job.path == broken.path:
            raise RuntimeError(f"cannot render {job.path}")
        return real(self, job)

    monkeypatch.setattr(render.Renderer, "render", render_or_fail)
    monkeypatch.setattr(render, "PARALLEL_MIN_JOBS", 0)
    with pytest.raises(RuntimeError, match="cannot render"):
        render.write_pages(render.Renderer(site), jobs, tmp_path / "out", workers=2)
    assert render._WORKER is None


def test_rendering_leaves_no_reference_cycles(site) -> None:
    """A page's objects are freed as soon as it is written, by reference counting.

    Render workers then need the cyclic collector only as a safety net, and it finds
    nothing to do. A macro defined inside a page template makes a cycle on every
    page (the macro and the page context refer to each other): 30 objects a page
    to collect, which cost the workers of a 10,000-article build about 0.25 s.
    """
    renderer = render.Renderer(site)
    jobs = render.plan_pages(site, "base")
    assert {job.kind for job in jobs} >= {"article", "official", "country", "timeline", "home"}
    gc.collect()
    gc.disable()
    try:
        gc.set_debug(gc.DEBUG_SAVEALL)
        for job in jobs:
            renderer.render(job)
        found = gc.collect()
        kinds = Counter(type(thing).__name__ for thing in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert found == 0, f"cyclic garbage after rendering {len(jobs)} pages: {kinds.most_common(8)}"


def test_workers_get_each_languages_list_pages_together_and_an_articles_pages_together(
    site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So a list item (`Presenter.fragment`) or an article body is rendered in one worker."""
    monkeypatch.setattr(render, "CHUNK", 4)
    jobs = render.plan_pages(site, "base")
    chunks = render._chunks(jobs)
    assert sorted(job.path for chunk in chunks for job in chunk) == sorted(j.path for j in jobs)
    chunk_of = {job.path: n for n, chunk in enumerate(chunks) for job in chunk}
    lists = [job for job in jobs if job.kind != "article"]
    for lang in {job.lang for job in lists}:
        assert len({chunk_of[job.path] for job in lists if job.lang == lang}) == 1
    articles = [job for job in jobs if job.kind == "article"]
    assert len({job.key for job in articles}) > 2  # several chunks of articles
    for key in {job.key for job in articles}:
        pages = [job for job in articles if job.key == key]
        assert {job.lang for job in pages} == {"ar", "en"}
        assert len({chunk_of[job.path] for job in pages}) == 1
