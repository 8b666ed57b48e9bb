"""`sitegen diff`: pages and facts that changed between two builds."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
from test_subpath import build_missing, content_with_articles, sitegen

from sitegen import frontmatter
from sitegen.cli import main
from sitegen.diff import capped, cell, diff_sites, page_url, to_markdown

ARTICLE = {
    "slug": "2025-01-29-hammouchi-madrid",
    "title_ar": "حموشي في مدريد",
    "title_en": "Hammouchi in Madrid",
    "published": "2025-01-29",
    "event_date": "2025-01-29",
    "dates": [{"date": "2025-01-29", "text": "29 يناير 2025"}],
    "officials": [
        {"id": "abdellatif-hammouchi", "name_en": "Abdellatif Hammouchi", "country": "MA"},
    ],
    "countries": ["ES", "MA"],
    "places": [{"id": "madrid", "name_en": "Madrid", "country": "ES"}],
    "topics": ["terrorism"],
    "summary_ar": "ملخص",
    "summary_en": "Summary",
}


def make_site(root: Path, pages: dict[str, str], articles: list[dict] | None) -> Path:
    """A built site in miniature: HTML pages plus `data/dossier.json`."""
    for rel, html in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    if articles is not None:
        data = {"generator": "sitegen", "articles": articles, "events": [], "officials": []}
        (root / "data").mkdir(parents=True, exist_ok=True)
        (root / "data" / "dossier.json").write_text(
            json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
    return root


PAGES = {
    "index.html": "<p>choose</p>",
    "ar/index.html": "<p>الرئيسية</p>",
    "en/index.html": "<p>Home</p>",
    "ar/articles/2025-01-29-hammouchi-madrid/index.html": "<h1>حموشي</h1>",
    "en/articles/2025-01-29-hammouchi-madrid/index.html": "<h1>Hammouchi</h1>",
    "assets/site.css": "body{}",
}


def test_identical_sites_say_no_changes(tmp_path: Path) -> None:
    old = make_site(tmp_path / "old", PAGES, [ARTICLE])
    new = make_site(tmp_path / "new", PAGES, [ARTICLE])
    report = to_markdown(diff_sites(old, new))
    assert "No changes" in report
    assert "| changed |" not in report


def test_pages_added_removed_changed_per_language(tmp_path: Path) -> None:
    old = make_site(tmp_path / "old", PAGES, [ARTICLE])
    pages = dict(PAGES)
    pages["en/index.html"] = "<p>Home, renamed</p>"
    pages["ar/about/index.html"] = "<p>عن</p>"
    del pages["en/articles/2025-01-29-hammouchi-madrid/index.html"]
    new = make_site(tmp_path / "new", pages, [ARTICLE])

    d = diff_sites(old, new)
    assert d.pages["en"].changed == ["en/index.html"]
    assert d.pages["en"].removed == ["en/articles/2025-01-29-hammouchi-madrid/index.html"]
    assert d.pages["ar"].added == ["ar/about/index.html"]
    assert not d.pages["ar"].changed
    report = to_markdown(d)
    assert "| added | 1 | 0 |" in report
    assert "| removed | 0 | 1 |" in report
    assert "| changed | 0 | 1 |" in report
    assert "**Added (ar, 1)**\n- `/ar/about/`\n" in report  # short lists stay open
    assert "`/en/articles/2025-01-29-hammouchi-madrid/`" in report


def test_a_one_byte_change_counts(tmp_path: Path) -> None:
    old = make_site(tmp_path / "old", PAGES, [ARTICLE])
    pages = dict(PAGES)
    pages["ar/index.html"] = PAGES["ar/index.html"] + " "
    new = make_site(tmp_path / "new", pages, [ARTICLE])
    assert diff_sites(old, new).pages["ar"].changed == ["ar/index.html"]


def test_other_files_are_counted_not_ignored(tmp_path: Path) -> None:
    old = make_site(tmp_path / "old", PAGES, [ARTICLE])
    new = make_site(tmp_path / "new", {**PAGES, "assets/site.css": "body{color:red}"}, [ARTICLE])
    d = diff_sites(old, new)
    assert d.other.changed == ["assets/site.css"]
    assert "No changes" not in to_markdown(d)
    assert "0 added, 0 removed, 1 changed" in to_markdown(d)


def test_changed_facts_are_listed_per_article(tmp_path: Path) -> None:
    edited = copy.deepcopy(ARTICLE)
    edited["event_date"] = "2025-01-28"
    edited["countries"] = ["FR", "MA"]
    edited["topics"] = ["terrorism", "intelligence_sharing"]
    edited["officials"].append({"id": "fernando-grande-marlaska", "name_en": "Fernando Grande"})
    edited["places"][0]["name_en"] = "Madrid (city)"
    edited["title_en"] = "Hammouchi | Madrid"
    old = make_site(tmp_path / "old", PAGES, [ARTICLE])
    new = make_site(tmp_path / "new", PAGES, [edited])

    d = diff_sites(old, new)
    (change,) = d.articles_changed
    assert change.slug == ARTICLE["slug"]
    assert change.facts["event_date"] == "2025-01-29 → 2025-01-28"
    assert change.facts["countries"] == "added `FR`; removed `ES`"
    assert change.facts["topics"] == "added `intelligence_sharing`"
    assert "added `fernando-grande-marlaska` (Fernando Grande)" in change.facts["officials"]
    assert change.facts["places"].startswith("changed `madrid`")
    assert set(change.facts) == {
        "event_date",
        "countries",
        "topics",
        "officials",
        "places",
        "title_en",
    }
    assert list(change.facts)[:2] == ["title_en", "event_date"]  # the order of diff.yaml
    report = to_markdown(d)
    assert "Hammouchi \\| Madrid" in report  # a pipe does not break the table
    assert "| event_date | 2025-01-29 → 2025-01-28 |" in report


def test_articles_added_and_removed(tmp_path: Path) -> None:
    other = {**ARTICLE, "slug": "2024-05-02-rabat-meeting", "title_en": "Rabat meeting"}
    old = make_site(tmp_path / "old", PAGES, [ARTICLE])
    new = make_site(tmp_path / "new", PAGES, [other])
    d = diff_sites(old, new)
    assert d.articles_added == [("2024-05-02-rabat-meeting", "Rabat meeting")]
    assert d.articles_removed == [(ARTICLE["slug"], "Hammouchi in Madrid")]
    assert not d.articles_changed
    report = to_markdown(d)
    assert "**Articles added (1)**" in report
    assert "**Articles removed (1)**" in report


def test_missing_dossier_is_noted(tmp_path: Path) -> None:
    old = make_site(tmp_path / "old", PAGES, None)
    new = make_site(tmp_path / "new", PAGES, [ARTICLE])
    d = diff_sites(old, new)
    assert d.articles_added == [(ARTICLE["slug"], "Hammouchi in Madrid")]
    assert any("old/data/dossier.json" in n for n in d.notes)


def test_long_lists_are_capped(tmp_path: Path) -> None:
    pages = {f"en/officials/p{i:03}/index.html": str(i) for i in range(60)}
    old = make_site(tmp_path / "old", {}, [])
    new = make_site(tmp_path / "new", pages, [])
    report = to_markdown(diff_sites(old, new))
    assert "- … and 35 more" in report  # max_items: 25 in sitegen/data/diff.yaml
    assert "<details><summary>Added (en, 60)</summary>" in report  # fold_after: 8
    assert "`/en/officials/p024/`" in report
    assert "`/en/officials/p025/`" not in report


def test_helpers() -> None:
    assert page_url("en/articles/x/index.html") == "/en/articles/x/"
    assert page_url("index.html") == "/"
    assert page_url("en/404.html") == "/en/404.html"
    assert cell("a|b\n<c>") == "a\\|b &lt;c>"
    assert capped(["- a", "- b", "- c"], 2) == ["- a", "- b", "- … and 1 more"]


def test_cli_prints_markdown_and_rejects_missing_dirs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = make_site(tmp_path / "old", PAGES, [ARTICLE])
    new = make_site(tmp_path / "new", {**PAGES, "en/index.html": "x"}, [ARTICLE])
    assert main(["diff", str(old), str(new)]) == 0
    assert "`/en/`" in capsys.readouterr().out
    assert main(["diff", str(old), str(tmp_path / "nope")]) == 2
    assert "not a directory" in capsys.readouterr().err
    out = tmp_path / "diff.md"
    assert main(["diff", str(old), str(new), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("## Site changes")


# ------------------------------------------------------- two real builds

BASE_URL = "https://example.github.io/dossier/"


def _edit_one_article(content: Path) -> tuple[str, str]:
    """Edit the facts of one article as an editor would; return its slug and the new topic."""
    path = sorted((content / "articles").glob("*.md"))[0]
    doc = frontmatter.read(path)
    topic = next(
        t for t in ("border_security", "training", "technology") if t not in doc.meta["topics"]
    )
    doc.meta["topics"] = [*doc.meta["topics"], topic]
    doc.meta["title_en"] = "An edited English title"
    ar_sha = hashlib.sha256((doc.meta.get("title_ar") or "").encode()).hexdigest()[:12]
    doc.meta["title_en_meta"] = {"by": "editor", "ar_sha": ar_sha}  # as DESIGN.md says
    frontmatter.write(path, doc.meta, doc.body)
    return doc.meta["slug"], topic


def test_diff_of_two_builds_that_differ_by_one_edited_article(tmp_path: Path) -> None:
    reason = build_missing()
    if reason:
        pytest.skip(reason)
    content = content_with_articles(tmp_path)
    old, new = tmp_path / "old", tmp_path / "new"
    sitegen("build", "--content", str(content), "--out", str(old), "--base-url", BASE_URL)
    slug, topic = _edit_one_article(content)
    sitegen("build", "--content", str(content), "--out", str(new), "--base-url", BASE_URL)

    d = diff_sites(old, new)
    assert not d.articles_added and not d.articles_removed
    (change,) = d.articles_changed
    assert change.slug == slug
    assert change.facts["topics"] == f"added `{topic}`"
    assert change.facts["title_en"].endswith("→ An edited English title")
    for lang in ("ar", "en"):
        assert f"{lang}/articles/{slug}/index.html" in d.pages[lang].changed
        touched = d.pages[lang].added + d.pages[lang].changed
        assert f"{lang}/topics/{topic}/index.html" in touched
        assert not d.pages[lang].removed
    report = to_markdown(d)
    assert f"#### `{slug}` An edited English title" in report
    assert f"| topics | added `{topic}` |" in report
    assert "No changes" not in report
    assert to_markdown(diff_sites(new, new)).count("No changes") == 1
