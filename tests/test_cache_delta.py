"""The content cache is written whole, then as a delta of the entries changed since."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen import incremental
from sitegen.incremental import ContentCache, content_stats, read_site_articles
from tests.test_incremental import _age


def _fill(cache_dir: Path, content: Path) -> ContentCache:
    cache = ContentCache.load(cache_dir, content)
    stats = content_stats(content)
    for name, stat in stats.items():
        cache.entry(name, stat).issues = []
    read_site_articles(cache, stats)
    cache.save()
    return cache


def _titles(cache: ContentCache) -> dict[str, str]:
    return {Path(k).stem: e.article.title_ar for k, e in cache.entries.items()}


def test_an_edit_is_written_as_a_delta_and_read_back(content: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = _fill(cache_dir, content)
    whole = first.path.read_bytes()
    edited = sorted((content / "articles").glob("*.md"))[0]
    text = edited.read_text("utf-8")
    edited.write_text(text.replace("title_ar: ", "title_ar: جديد ", 1), "utf-8")
    _age(edited)
    gone = sorted((content / "articles").glob("*.md"))[-1]
    gone.unlink()
    second = _fill(cache_dir, content)
    assert first.path.read_bytes() == whole, "the whole cache was written again"
    assert second.delta_path.exists()
    again = ContentCache.load(cache_dir, content)
    assert _titles(again) == _titles(second)
    assert _titles(again)[edited.stem].startswith("جديد ")
    assert gone.stem not in _titles(again)


def test_a_large_delta_writes_the_whole_cache(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    monkeypatch.setattr(incremental, "DELTA_MIN", 0)
    first = _fill(cache_dir, content)
    whole = first.path.read_bytes()
    for path in (content / "articles").glob("*.md"):
        path.write_text(path.read_text("utf-8") + "\nسطر\n", "utf-8")
        _age(path)
    second = _fill(cache_dir, content)
    assert second.path.read_bytes() != whole
    assert not second.delta_path.exists()
    assert _titles(ContentCache.load(cache_dir, content)) == _titles(second)


def test_a_delta_of_another_whole_cache_is_ignored(content: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = _fill(cache_dir, content)
    article = sorted((content / "articles").glob("*.md"))[0]
    kept = article.read_bytes()
    article.unlink()
    _fill(cache_dir, content)  # a delta that removes the article
    delta = first.delta_path.read_bytes()
    article.write_bytes(kept)
    _age(article)
    first.path.unlink()
    _fill(cache_dir, content)  # a new whole cache (another stamp) with the article
    first.delta_path.write_bytes(delta)  # the old delta, left behind
    assert article.stem in _titles(ContentCache.load(cache_dir, content))


def test_a_write_in_a_child_is_read_back(content: Path, tmp_path: Path) -> None:
    cache = ContentCache.load(tmp_path / "cache", content)
    stats = content_stats(content)
    read_site_articles(cache, stats)
    cache.save(in_child=True)()
    again = ContentCache.load(tmp_path / "cache", content)
    assert _titles(again) == _titles(cache) and len(again.entries) == len(stats)


def test_a_failed_child_write_is_done_by_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forked writer dies; waiting for it writes the file in this process instead."""
    import os

    from sitegen import cachefile

    parent, real_save = os.getpid(), cachefile.save

    def dies_in_child(path: Path, data: dict) -> None:
        if os.getpid() != parent:
            os._exit(3)
        real_save(path, data)

    monkeypatch.setattr(cachefile, "save", dies_in_child)
    target = tmp_path / "file.pickle"
    wait = cachefile.save_in_child(target, {"entries": {"a": 1}})
    wait()
    assert cachefile.load(target)["entries"] == {"a": 1}
