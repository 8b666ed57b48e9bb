"""File watching for `sitegen serve`: told by the kernel, not found by polling.

livereload's own watcher walks every watched folder every 800 ms and stats
each file: on a 10,000-article dossier that is a tenth of a second of work
per poll and, on average, 0.4 s between saving a file and noticing it.
`NotifyWatcher` plugs into livereload in place of it (the `start` hook that
livereload's inotify watcher uses) and is fed by watchfiles, which waits on
inotify (or the platform's equivalent) in a thread and hands over the paths
that changed about 50 ms after the last write.
"""

from __future__ import annotations

import fnmatch
import os
import threading
from collections.abc import Callable
from inspect import signature
from pathlib import Path
from typing import Any

import watchfiles
from livereload.watcher import Watcher

# watchfiles yields a batch once nothing changed for this long (ms): an editor's
# save (write, rename, chmod) arrives as one batch.
SETTLE_MS = 50


class NotifyWatcher(Watcher):
    """A livereload watcher that runs tasks for the paths watchfiles reports."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, callback: Callable[[], Any]) -> bool:
        """Watch in a thread; `callback` (livereload's poll) runs on the server's loop."""
        if self._thread is None:
            from tornado import ioloop

            loop = ioloop.IOLoop.current()
            self._thread = threading.Thread(
                target=self._run, args=(lambda: loop.add_callback(callback),), daemon=True
            )
            self._thread.start()
            callback()  # livereload's queued start-up reload goes now, not with the first edit
        return True  # no polling

    def stop(self) -> None:
        self._stop.set()

    def _roots(self) -> list[str]:
        roots = {_root_of(path) for path in self._tasks}
        return sorted(root for root in roots if os.path.exists(root))

    def _run(self, notify: Callable[[], Any]) -> None:
        roots = self._roots()
        if not roots:
            return
        for changes in watchfiles.watch(
            *roots, step=SETTLE_MS, stop_event=self._stop, raise_interrupt=False
        ):
            with self._lock:
                self._pending.update(os.path.abspath(path) for _, path in changes)
            notify()

    def take(self) -> set[str]:
        """The paths changed since the last call."""
        with self._lock:
            pending, self._pending = self._pending, set()
        return pending

    def examine(self) -> tuple[str | None, float | None]:
        """Run the task of every watched path with a change; return (a path, delay)."""
        if self._changes:
            return self._changes.pop()
        changed = self.take()
        self.filepath = None
        delays = set()
        for path, task in self._tasks.items():
            hits = sorted(p for p in changed if _matches(path, p) and not self.ignore(p))
            if task["ignore"]:
                hits = [p for p in hits if not task["ignore"](p)]
            if not hits:
                continue
            self.filepath = hits[0]
            if isinstance(task["delay"], float):
                delays.add(task["delay"])
            if task["func"]:
                _call(task["func"], hits)
        return self.filepath, (max(delays) if delays else None)


def _call(func: Callable, paths: list[str]) -> None:
    """livereload's convention: a task taking an argument gets the changed paths."""
    if signature(func).parameters:
        func(paths)
    else:
        func()


def _root_of(pattern: str) -> str:
    """The folder to watch for a path or glob pattern ('seeds/*.txt' -> 'seeds')."""
    parts = Path(os.path.abspath(pattern)).parts
    fixed = _prefix(parts)
    root = Path(*fixed)
    if len(fixed) == len(parts) and root.is_file():
        root = root.parent
    return str(root)


def _prefix(parts: tuple[str, ...]) -> list[str]:
    """The leading parts of a path before the first glob character."""
    out = []
    for part in parts:
        if any(ch in part for ch in "*?["):
            break
        out.append(part)
    return out


def _matches(pattern: str, path: str) -> bool:
    """True when `path` is the watched file, lies in the watched folder, or fits the glob."""
    pattern = os.path.abspath(pattern)
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatch(path, pattern)
    return path == pattern or path.startswith(pattern.rstrip(os.sep) + os.sep)
