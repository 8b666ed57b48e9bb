"""The serve watcher: kernel change notices routed to the task of the path that changed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from sitegen.watch import NotifyWatcher, _matches, _root_of


@pytest.fixture
def watched(tmp_path: Path):
    content, seeds = tmp_path / "content", tmp_path / "seeds"
    (content / "articles").mkdir(parents=True)
    seeds.mkdir()
    calls: dict[str, list] = {"content": [], "seeds": []}
    watcher = NotifyWatcher()
    watcher.watch(str(content), lambda: calls["content"].append(True))
    watcher.watch(str(seeds / "*.txt"), lambda paths: calls["seeds"].append(paths))
    noticed = threading.Event()
    thread = threading.Thread(target=watcher._run, args=(noticed.set,), daemon=True)
    thread.start()
    time.sleep(0.3)  # the watch is set up before the test writes
    yield watcher, content, seeds, calls, noticed
    watcher.stop()
    thread.join(timeout=10)


def _examine_after(noticed: threading.Event, watcher: NotifyWatcher):
    assert noticed.wait(timeout=10), "no change was reported"
    noticed.clear()
    return watcher.examine()


def test_a_saved_article_runs_the_content_task_only(watched) -> None:
    watcher, content, _, calls, noticed = watched
    article = content / "articles" / "a.md"
    article.write_text("---\nslug: a\n---\n", encoding="utf-8")
    path, delay = _examine_after(noticed, watcher)
    assert path == str(article)
    assert delay is None
    assert calls == {"content": [True], "seeds": []}


def test_a_seed_task_gets_the_changed_paths_matching_its_glob(watched) -> None:
    watcher, _, seeds, calls, noticed = watched
    (seeds / "notes.md").write_text("not a seed", encoding="utf-8")
    (seeds / "s1.txt").write_text("نص", encoding="utf-8")
    _examine_after(noticed, watcher)
    while noticed.wait(timeout=0.5):  # both files may arrive in two batches
        noticed.clear()
        watcher.examine()
    assert calls["content"] == []
    assert [Path(p).name for batch in calls["seeds"] for p in batch] == ["s1.txt"]


def test_a_deleted_article_is_a_change(watched) -> None:
    watcher, content, _, calls, noticed = watched
    article = content / "articles" / "gone.md"
    article.write_text("x", encoding="utf-8")
    _examine_after(noticed, watcher)
    article.unlink()
    path, _ = _examine_after(noticed, watcher)
    assert path == str(article)
    assert len(calls["content"]) == 2


def test_roots_and_matching(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    assert _root_of(str(tmp_path / "seeds" / "*.txt")) == str(tmp_path / "seeds")
    assert _root_of(str(tmp_path / "seeds")) == str(tmp_path / "seeds")
    assert _matches(str(tmp_path / "content"), str(tmp_path / "content" / "articles" / "a.md"))
    assert not _matches(str(tmp_path / "content"), str(tmp_path / "content-old" / "a.md"))
    assert not _matches(str(tmp_path / "seeds" / "*.txt"), str(tmp_path / "seeds" / "a.md"))
