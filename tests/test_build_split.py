"""Long listings split by year: the timeline and entity pages of a large dossier.

The fixture content is small, so the split is forced by lowering
`render.SPLIT_FROM`: every listing with more than one item gets one page per
year (and one for its undated reports), and its own page shows the latest
items only. Links, alternates and incremental rebuilds must hold as they do
for the unsplit site.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_build import FIXTURE, check_links, html_files, parse, read, target_file
from test_incremental import _age, _age_all, _assert_same_as_clean, _builder, _touch_edit

from sitegen import render
from sitegen.commands.build import build

EDITED = "2025-01-29-hammouchi-madrid"


@pytest.fixture(autouse=True)
def split(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "SPLIT_FROM", 1)
    monkeypatch.setattr(render, "LATEST", 1)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def test_timeline_is_split_by_year_with_an_undated_page(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(FIXTURE, out, workers=1)
    for lang in ("ar", "en"):
        for year in ("2025", "2024", "2022", "undated"):
            assert (out / lang / "timeline" / year / "index.html").is_file(), (lang, year)
    overview = read(out, "en/timeline/index.html")
    assert overview.count('<li class="event"') == 1  # the latest event only
    for year in ("2025", "2024", "2022", "undated"):
        assert f'href="/en/timeline/{year}/"' in overview
    year_2025 = read(out, "en/timeline/2025/index.html")
    assert 'aria-current="page"' in year_2025 and 'id="event-' in year_2025
    undated = read(out, "en/timeline/undated/index.html")
    assert "/en/articles/hammouchi-receives-guardia-civil/" in undated
    article = read(out, "en/articles/hammouchi-receives-guardia-civil/index.html")
    assert 'href="/en/timeline/undated/"' in article
    dated = read(out, f"en/articles/{EDITED}/index.html")
    assert re.search(r'href="/en/timeline/2025/#event-[^"]+"', dated)


def test_entity_pages_are_split_by_year(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(FIXTURE, out, workers=1)
    for route in ("countries/ma/", "officials/abdellatif-hammouchi/"):
        page = read(out, f"en/{route}index.html")
        assert f'href="/en/{route}2025/"' in page, route
        assert (out / "ar" / route / "2025" / "index.html").is_file()
    sitemap = read(out, "sitemap.xml")
    assert "/ar/countries/ma/2025/" in sitemap and "/en/timeline/undated/" in sitemap


@pytest.mark.parametrize("base", ["/", "/pr-preview/pr-7/"])
def test_split_site_links_and_alternates_resolve(tmp_path: Path, base: str) -> None:
    out = tmp_path / "public"
    build(FIXTURE, out, base_url=base, workers=1)
    assert check_links(out, base) > 500
    for path in html_files(out / "en"):
        page = parse(path)
        assert set(page.alternates) == {"ar", "en", "x-default"}, path
        for href in page.alternates.values():
            target = target_file(out, href, base)
            assert target is not None and target.is_file(), f"{path}: {href}"


def test_split_incremental_build_equals_clean(content: Path, tmp_path: Path) -> None:
    _age_all(content)
    _builder(content, tmp_path).build()
    articles = content / "articles"
    _touch_edit(articles / f"{EDITED}.md", "title_ar: ", "title_ar: عاجل ")
    outcome = _builder(content, tmp_path).build()
    assert not outcome.clean and outcome.pages < outcome.total
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)
    added = (articles / f"{EDITED}.md").read_text(encoding="utf-8")
    added = added.replace(f"slug: {EDITED}", "slug: a-new-article").replace(
        "source: seeds/", "source: seeds/new-"
    )
    (articles / "a-new-article.md").write_text(added, encoding="utf-8")
    _age(articles / "a-new-article.md")
    (articles / "2022-06-morocco-us-partnership.md").unlink()
    outcome = _builder(content, tmp_path).build()
    assert not outcome.clean and outcome.removed >= 2
    assert not (tmp_path / "public" / "en" / "timeline" / "2022").exists()
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_an_edit_re_renders_its_year_not_the_others(content: Path) -> None:
    from sitegen.site import load_site

    before = {j.path: j.fingerprint for j in render.plan_pages(load_site(content), "base")}
    path = content / "articles" / f"{EDITED}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title_ar: ", "title_ar: عاجل "))
    after = {j.path: j.fingerprint for j in render.plan_pages(load_site(content), "base")}
    changed = {p for p in before if before[p] != after[p]}
    for lang in ("ar", "en"):
        assert f"{lang}/timeline/2025/index.html" in changed
        assert f"{lang}/timeline/2024/index.html" not in changed
        assert f"{lang}/timeline/2022/index.html" not in changed
        assert f"{lang}/countries/ma/2022/index.html" not in changed
