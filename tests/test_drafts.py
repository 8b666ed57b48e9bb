"""Drafts: an article marked `draft: true` stays off the site until built with --drafts.

Left out means everywhere a reader or a machine could find it: its pages, every
list, the feeds, the sitemap, the search records, dossier.json, and the pages of
people only it names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.commands.build import build
from sitegen.incremental import Builder
from tests.test_incremental import _tree

DRAFT = "2022-06-morocco-us-partnership"  # the only article naming Avril Haines
TITLE_EN = "A Moroccan–American security partnership against terrorism"
NOTE = "Draft: not published"


@pytest.fixture
def content(content: Path) -> Path:
    """The shared copy of the fixture content (tests/conftest.py), one article a draft."""
    _set_draft(content, "true")
    return content


def _set_draft(content: Path, value: str | None) -> None:
    path = content / "articles" / f"{DRAFT}.md"
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line[:6] != "draft:"]
    if value is not None:
        lines.insert(2, f"draft: {value}")
    path.write_text("\n".join(lines), encoding="utf-8")


def _mentions(root: Path, *needles: str) -> list[str]:
    return [
        name
        for name, data in _tree(root).items()
        if data is not None and any(needle.encode() in data for needle in needles)
    ]


def test_a_draft_is_nowhere_on_the_site(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(content, out, search=False, workers=1)
    assert not (out / "en" / "articles" / DRAFT).exists()
    assert not (out / "en" / "officials" / "avril-haines").exists()
    assert _mentions(out, DRAFT, TITLE_EN, "avril-haines", "Avril Haines") == []
    assert (out / "en" / "articles" / "hammouchi-spain-after-us" / "index.html").is_file()


def test_drafts_are_shown_marked_and_not_indexed_when_asked_for(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "public"
    build(content, out, search=False, workers=1, drafts=True)
    for lang in ("ar", "en"):
        page = (out / lang / "articles" / DRAFT / "index.html").read_text(encoding="utf-8")
        assert 'class="prov draft"' in page and '<meta name="robots" content="noindex">' in page
    assert NOTE in (out / "en" / "articles" / DRAFT / "index.html").read_text(encoding="utf-8")
    assert (out / "en" / "officials" / "avril-haines" / "index.html").is_file()
    published = (out / "en" / "articles" / "hammouchi-spain-after-us" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "noindex" not in published and 'class="prov draft"' not in published
    assert DRAFT in (out / "data" / "dossier.json").read_text(encoding="utf-8")
    timeline = (out / "ar" / "timeline" / "index.html").read_text(encoding="utf-8")
    entry = timeline[timeline.index(f"/ar/articles/{DRAFT}/") :].split("</li>")[0]
    assert '<span class="draft-mark">مسودة</span>' in entry
    assert timeline.count('class="draft-mark"') == 1  # the draft's entry only


def test_the_search_records_leave_a_draft_out(content: Path) -> None:
    from sitegen import render
    from sitegen.publish import search_documents
    from sitegen.settings import load_settings
    from sitegen.site import load_site

    for drafts in (False, True):
        site = load_site(content, load_settings(content).with_drafts(drafts))
        urls = [doc["url"] for doc in search_documents(render.Renderer(site, render.TEMPLATES_DIR))]
        assert any(DRAFT in url for url in urls) is drafts
        assert any("avril-haines" in url for url in urls) is drafts


@pytest.mark.parametrize("drafts", [False, True], ids=["left out", "shown"])
@pytest.mark.parametrize("long_lived", [False, True], ids=["command line", "serve"])
def test_marking_and_unmarking_a_draft_equals_a_clean_build(
    content: Path, tmp_path: Path, long_lived: bool, drafts: bool
) -> None:
    out, cache = tmp_path / "public", tmp_path / "cache"

    def builder() -> Builder:
        return Builder(content, out, cache, search=False, workers=1, drafts=drafts)

    kept = builder()

    def rebuild():
        return (kept if long_lived else builder()).build()

    rebuild()
    for value in ("false", "true", None, "true"):
        _set_draft(content, value)
        rebuild()
        clean = tmp_path / f"clean-{value}"
        build(content, clean, search=False, workers=1, drafts=drafts)
        assert _tree(out) == _tree(clean), value


def test_editing_a_draft_left_out_renders_nothing(
    content: Path, tmp_path: Path, full_builds: list[int]
) -> None:
    """In serve, such an edit does not even link the site model again."""
    builder = Builder(content, tmp_path / "public", tmp_path / "cache", search=False, workers=1)
    builder.build()
    full_builds.clear()
    path = content / "articles" / f"{DRAFT}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA paragraph still in draft.\n")
    outcome = builder.build()
    assert (outcome.pages, outcome.removed, full_builds) == (0, 0, [])
    assert _mentions(tmp_path / "public", "still in draft") == []


def test_build_and_serve_take_drafts_from_the_command_line(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "public"
    args = ["build", "--content", str(content), "--out", str(out), "--no-search", "--no-cache"]
    assert main(args) == 0 and not (out / "en" / "articles" / DRAFT).exists()
    assert main([*args, "--drafts"]) == 0 and (out / "en" / "articles" / DRAFT).is_dir()

    from sitegen.commands import serve as serve_command

    seen = {}
    monkeypatch.setattr("sitegen.serve.serve", lambda builder, *rest: seen.update(b=builder))
    monkeypatch.setattr("signal.signal", lambda *args: None)  # run() would take SIGTERM over
    serve_command.run(_serve_args(content, out, tmp_path, "--drafts"))
    assert seen["b"].drafts is True


def _serve_args(content: Path, out: Path, tmp_path: Path, *flags: str):
    import argparse

    from sitegen.commands import serve as serve_command

    parser = argparse.ArgumentParser()
    serve_command.configure(parser)
    return parser.parse_args(
        ["--content", str(content), "--out", str(out), "--cache", str(tmp_path / "c"), *flags]
    )


def test_a_build_says_how_many_drafts_it_left_out(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    args = ["build", "--content", str(content), "--out", str(tmp_path / "public"), "--no-search"]
    args += ["--cache", str(tmp_path / "cache")]
    said = []
    for extra in ([], [], ["--no-cache"], ["--drafts"]):  # full, unchanged, clean, shown
        assert main([*args, *extra]) == 0
        said.append("1 draft left out (--drafts shows it)" in capsys.readouterr().out)
    assert said == [True, True, True, False]


def test_serve_says_how_many_drafts_it_left_out(content: Path, tmp_path: Path) -> None:
    import io

    from sitegen.serve import Rebuilder, State

    log = io.StringIO()
    builder = Builder(content, tmp_path / "public", tmp_path / "cache", search=False, workers=1)
    Rebuilder(builder, State(), log)()
    assert "0 removed; 1 draft left out" in log.getvalue()
