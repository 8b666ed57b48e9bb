"""Incremental builds: only changed pages are rendered, and the result equals a clean build.

Every test builds the fixture content twice or more with a build cache, edits
content files in between (change, add, delete), and compares every file of the
incremental output with a clean build of the same content, byte for byte.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from sitegen import incremental, render
from sitegen.commands.build import BuildError, build
from sitegen.incremental import Builder

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "content"
EDITED = "2025-01-29-hammouchi-madrid"
UNDATED = "hammouchi-receives-guardia-civil"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def _builder(content: Path, tmp_path: Path, search: bool = False) -> Builder:
    return Builder(content, tmp_path / "public", tmp_path / "cache", search=search, workers=1)


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under `root`."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def _assert_same_as_clean(content: Path, out: Path, tmp_path: Path, search: bool) -> None:
    clean = tmp_path / "clean"
    build(content, clean, search=search, workers=1)
    got, want = _tree(out), _tree(clean)
    assert sorted(got) == sorted(want), "files differ"
    differing = [name for name in want if got[name] != want[name]]
    assert differing == []


def _touch_edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _age(path)


def _age(path: Path) -> None:
    """Give an edited file an mtime in the past, so the cache may keep it (not 'racy')."""
    stamp = path.stat().st_mtime_ns - 10 * 10**9
    os.utime(path, ns=(stamp, stamp))


def _age_all(content: Path) -> None:
    for path in (content / "articles").glob("*.md"):
        _age(path)


def test_no_change_rebuild_renders_nothing(content: Path, tmp_path: Path) -> None:
    _age_all(content)
    first = _builder(content, tmp_path).build()
    assert first.clean and first.pages == first.total > 0
    again = _builder(content, tmp_path).build()
    assert (again.pages, again.removed, again.clean) == (0, 0, False)
    assert again.total == first.total
    assert again.warnings == first.warnings


def test_the_content_folder_named_another_way_renders_nothing_again(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--content content` and `--content /abs/content` are the same files: same pages."""
    monkeypatch.chdir(content.parent)
    out, cache = tmp_path / "public", tmp_path / "cache"
    Builder(Path(content.name), out, cache, search=False, workers=1).build()
    again = Builder(content.resolve(), out, cache, search=False, workers=1).build()
    assert (again.pages, again.removed, again.clean) == (0, 0, False)


def test_one_change_renders_its_pages_only(content: Path, tmp_path: Path) -> None:
    _age_all(content)
    _builder(content, tmp_path).build()
    _touch_edit(content / "articles" / f"{UNDATED}.md", "\n---\n", "\n---\nA new paragraph.\n\n")
    outcome = _builder(content, tmp_path).build()
    assert not outcome.clean
    assert 2 <= outcome.pages < outcome.total / 2
    page = tmp_path / "public" / "ar" / "articles" / UNDATED / "index.html"
    assert "A new paragraph." in page.read_text(encoding="utf-8")
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


@pytest.mark.parametrize("search", [False, True])
def test_change_add_delete_equals_clean_build(content: Path, tmp_path: Path, search: bool) -> None:
    _age_all(content)
    _builder(content, tmp_path, search).build()
    articles = content / "articles"
    _touch_edit(articles / f"{EDITED}.md", "title_ar: ", "title_ar: عاجل ")
    added = (articles / f"{UNDATED}.md").read_text(encoding="utf-8")
    added = added.replace(f"slug: {UNDATED}", "slug: a-new-article").replace(
        "source: seeds/", "source: seeds/new-"
    )
    (articles / "a-new-article.md").write_text(added, encoding="utf-8")
    _age(articles / "a-new-article.md")
    (articles / "hammouchi-spain-after-us.md").unlink()
    outcome = _builder(content, tmp_path, search).build()
    assert not outcome.clean and outcome.removed >= 2
    assert outcome.pages < outcome.total
    assert not (tmp_path / "public" / "en" / "articles" / "hammouchi-spain-after-us").exists()
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search)


def test_recently_edited_files_are_read_again(content: Path, tmp_path: Path) -> None:
    """A file changed within the mtime tick of the last build is not trusted to the cache."""
    _builder(content, tmp_path).build()  # files just written: 'racy', not cached
    path = content / "articles" / f"{UNDATED}.md"
    stat = path.stat()
    text = path.read_text(encoding="utf-8").replace("\n---\n", "\n---\nSame size?\n", 1)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    _builder(content, tmp_path).build()
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_template_change_is_a_clean_build(content: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES_DIR, templates)
    builder = Builder(content, tmp_path / "public", tmp_path / "cache", templates_dir=templates)
    builder.search = False
    builder.build()
    about = templates / "about.html"
    about.write_text(about.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert builder.build().clean


def test_failed_update_leaves_output_as_it_was(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age_all(content)
    _builder(content, tmp_path).build()
    before = _tree(tmp_path / "public")
    _touch_edit(content / "articles" / f"{EDITED}.md", "title_ar: ", "title_ar: جديد ")

    def fail_halfway(renderer, jobs, out_dir, workers=None):
        render.write_page(renderer, jobs[0], out_dir)
        raise RuntimeError("disk full")

    monkeypatch.setattr(render, "write_pages", fail_halfway)
    with pytest.raises(RuntimeError):
        _builder(content, tmp_path).build()
    assert _tree(tmp_path / "public") == before
    assert not list(tmp_path.glob(".public.stage-*"))
    monkeypatch.undo()
    _builder(content, tmp_path).build()
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_broken_content_fails_then_recovers(content: Path, tmp_path: Path) -> None:
    _age_all(content)
    cache = tmp_path / "cache"
    build(content, tmp_path / "public", search=False, cache_dir=cache)
    path = content / "articles" / f"{EDITED}.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("title_ar: ", "title_ar: [unclosed ", 1), encoding="utf-8")
    with pytest.raises(BuildError, match=rf"{EDITED}\.md:\d+"):
        build(content, tmp_path / "public", search=False, cache_dir=cache)
    path.write_text(good, encoding="utf-8")
    result = build(content, tmp_path / "public", search=False, cache_dir=cache)
    assert result.rendered is not None
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_deleted_output_is_rebuilt_clean(content: Path, tmp_path: Path) -> None:
    _builder(content, tmp_path).build()
    shutil.rmtree(tmp_path / "public")
    assert _builder(content, tmp_path).build().clean
    assert (tmp_path / "public" / "index.html").is_file()


def test_cache_folder_is_an_option(content: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    build(content, tmp_path / "public", search=False, cache_dir=elsewhere)
    assert list(elsewhere.glob("out-*.pickle")) and list(elsewhere.glob("content-*.pickle"))
    assert Path(".sitegen-cache") == incremental.DEFAULT_CACHE


def _check_files(names: list[str], registry) -> list[list]:
    """The issues `incremental.read_files` finds in each file."""
    stats = {name: incremental.Stat.of(Path(name)) for name in names}
    found = incremental.read_files(names, stats, registry)
    return [item if isinstance(item, list) else item.issues for item in found]


def test_parallel_checks_equal_serial(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.registry import load_registry

    registry = load_registry(content)
    path = content / "articles" / f"{EDITED}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("countries:", "countries: [xx]\nc:"))
    names = [str(p) for p in sorted((content / "articles").glob("*.md"))]
    serial = _check_files(names, registry)
    monkeypatch.setattr(incremental, "PARALLEL_MIN_FILES", 2)
    assert _check_files(names, registry) == serial
    assert any(serial)


def test_files_read_in_workers_come_with_their_articles(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold build reads each file once, in workers: the issues `check_article` finds, and
    the Article the site's reader makes; files it cannot make one of bring issues only."""
    from dataclasses import fields

    from sitegen.registry import load_registry
    from sitegen.site import article_from, read_article_file
    from sitegen.validate import check_article

    crlf = content / "articles" / f"{UNDATED}.md"
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
    (content / "articles" / "broken.md").write_text("---\ntitle_ar: [x\n---\n", encoding="utf-8")
    registry = load_registry(content)
    stats = incremental.content_stats(content)
    monkeypatch.setattr(incremental, "PARALLEL_MIN_FILES", 2)
    found = incremental.read_files(list(stats), stats, registry)
    made = {}
    for (name, stat), item in zip(stats.items(), found, strict=True):
        path = Path(name)
        made[path.stem] = isinstance(item, incremental.Entry)
        assert (item.issues if made[path.stem] else item) == check_article(path, registry)
        if made[path.stem]:
            meta, body, digest = read_article_file(path)
            want = article_from(path, meta, body, digest)
            for field in fields(want):
                assert getattr(item.article, field.name) == getattr(want, field.name)
            assert item.meta == {"slug": meta["slug"], "source": meta["source"]}
            assert (item.stat, item.digest, item.body) == (stat, digest, "")
    assert not made.pop(UNDATED) and not made.pop("broken") and all(made.values())


def test_cold_build_in_workers_equals_clean_build(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crlf = content / "articles" / f"{UNDATED}.md"
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
    _age_all(content)
    monkeypatch.setattr(incremental, "PARALLEL_MIN_FILES", 2)
    first = _builder(content, tmp_path).build()
    assert first.clean
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)
    cache = incremental.ContentCache.load(tmp_path / "cache", content)
    assert len(cache.entries) == 6 and all(e.article for e in cache.entries.values())
    assert _builder(content, tmp_path).build().warnings == first.warnings


def test_deferred_search_catches_up_to_a_clean_build(content: Path, tmp_path: Path) -> None:
    """`serve` renders pages first and swaps the re-made search index in afterwards."""
    _age_all(content)
    builder = _builder(content, tmp_path, search=True)
    builder.build()
    builder.defer_search = True
    bundle = tmp_path / "public" / "en" / "pagefind"
    before = _tree(bundle)
    _touch_edit(content / "articles" / f"{EDITED}.md", "title_ar: ", "title_ar: عاجل ")
    outcome = builder.build()
    assert outcome.pages > 0 and not outcome.search and builder.search_pending
    assert _tree(bundle) == before
    assert "ar" in builder.index_pending()  # the Arabic title changed
    assert not builder.search_pending
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=True)
    again = _builder(content, tmp_path, search=True).build()
    assert (again.pages, again.search) == (0, False)


def test_deferred_search_skips_records_an_edit_superseded(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit saved while the index is being made: the stale records stay out, and
    the next round indexes the newer ones."""
    _age_all(content)
    builder = _builder(content, tmp_path, search=True)
    builder.build()
    builder.defer_search = True
    path = content / "articles" / f"{EDITED}.md"
    _touch_edit(path, "title_ar: ", "title_ar: عاجل ")
    builder.build()
    real = incremental._search_index

    @contextlib.contextmanager
    def edited_while_indexing(*args, **kwargs):
        with real(*args, **kwargs) as index:
            monkeypatch.setattr(incremental, "_search_index", real)  # the build's own
            _touch_edit(path, "title_ar: عاجل ", "title_ar: هام ")
            builder.build()
            yield index

    monkeypatch.setattr(incremental, "_search_index", edited_while_indexing)
    assert builder.index_pending() == []
    assert builder.search_pending
    assert "ar" in builder.index_pending()
    assert not builder.search_pending
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=True)


def test_deferred_search_forgets_an_undone_edit(content: Path, tmp_path: Path) -> None:
    _age_all(content)
    builder = _builder(content, tmp_path, search=True)
    builder.build()
    builder.defer_search = True
    path = content / "articles" / f"{EDITED}.md"
    good = path.read_text(encoding="utf-8")
    _touch_edit(path, "title_ar: ", "title_ar: عاجل ")
    builder.build()
    path.write_text(good, encoding="utf-8")
    _age(path)
    builder.build()
    assert not builder.search_pending
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=True)


def test_registry_edit_in_a_long_running_builder(content: Path, tmp_path: Path) -> None:
    """The builder `serve` keeps alive reads the registry again when it changes."""
    builder = _builder(content, tmp_path)
    builder.build()
    topics = content / "registry" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("en: Terrorism", "en: Terror"))
    assert builder.build().clean
    page = (tmp_path / "public" / "en" / "topics" / "index.html").read_text(encoding="utf-8")
    assert "Terror" in page and "Terrorism" not in page
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_content_cache_is_dropped_when_the_code_changes(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age_all(content)
    _builder(content, tmp_path).build()
    cache = incremental.ContentCache.load(tmp_path / "cache", content)
    assert cache.entries
    monkeypatch.setattr(incremental, "package_digest", lambda: "another version")
    assert not incremental.ContentCache.load(tmp_path / "cache", content).entries
