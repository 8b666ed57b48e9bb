"""The development server: build, serve with live reload, rebuild on change.

livereload watches content/ (articles, registry, settings), the templates and
seeds/, and tells every open page to reload after a rebuild. One incremental
`Builder` stays alive, so its content cache is in memory and a one-article
edit re-renders only the pages that show that article.

A failed build keeps the previous `public/` (the build is atomic); the server
then answers page requests with an error page naming the file and line, which
live-reloads too, so fixing the mistake brings the site back without a restart.
"""

from __future__ import annotations

import contextlib
import gc
import ipaddress
import re
import socket
import sys
import threading
import time
import webbrowser
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TextIO
from urllib.parse import urlsplit

import jinja2
from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from tornado.web import RedirectHandler

from sitegen.frontmatter import ContentError
from sitegen.incremental import Builder
from sitegen.settings import Settings
from sitegen.watch import NotifyWatcher

ERROR_TEMPLATE = Path(__file__).resolve().parent / "serve_error.html"
# livereload ignores a reload within this many seconds of the last one. The
# watcher already gathers one save's writes into one batch, so every rebuild
# reloads: an editor fixing a mistake quickly must see the result.
RELOAD_GAP = 0.0
# Seconds without a rebuild after which the in-memory build cache is written.
SAVE_AFTER_IDLE = 3.0
# By default the server listens on this machine only: it is for the maintainer, not
# the web. `--bind 0.0.0.0` opens it to the local network, to try the site on a phone.
HOST = "127.0.0.1"
EVERY_ADDRESS = {"0.0.0.0", "::"}
NOT_FOUND = "404.html"


@dataclass
class State:
    """The outcome of the last build, shared with the request handler."""

    error: str | None = None
    error_page: bytes = b""


def error_page(message: str) -> bytes:
    """The page shown instead of the site while the last build failed."""
    env = jinja2.Environment(autoescape=True)
    template = env.from_string(ERROR_TEMPLATE.read_text(encoding="utf-8"))
    return template.render(message=message).encode("utf-8")


def _handler(state: State) -> type[StaticFileHandler]:
    class SiteHandler(StaticFileHandler):
        """Static files of public/; the error page for pages while the build is broken."""

        async def get(self, path: str, include_body: bool = True) -> None:
            if state.error is not None and _is_page(path):
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(state.error_page)
                return
            await super().get(path, include_body)

        def write_error(self, status_code: int, **kwargs: object) -> None:
            page = not_found_page(Path(self.root), self.path_args[0] if self.path_args else "")
            if status_code != 404 or page is None:
                super().write_error(status_code, **kwargs)
                return
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page.read_bytes())

    return SiteHandler


def not_found_page(root: Path, path: str) -> Path | None:
    """The 404.html nearest above a missing path, as Cloudflare Pages chooses it: a
    missing English page gets the English one, a path outside both languages the
    bilingual one at the root (the only one GitHub Pages serves)."""
    folder = PurePosixPath(path).parent
    for candidate in (folder, *folder.parents):
        page = root / candidate / NOT_FOUND
        if ".." not in candidate.parts and page.is_file():
            return page
    return None


class SiteServer(Server):
    """livereload's server with the site at its base path, where its links point:
    `--base-url /sitegen/` serves it at /sitegen/, as `hugo server` does, and / leads there."""

    def __init__(self, base_path: str, watcher: NotifyWatcher) -> None:
        super().__init__(watcher=watcher)
        self.base_path = base_path

    def get_web_handlers(self, script: bytes) -> list[tuple]:
        files = {"path": self.root, "default_filename": self.default_filename}
        handlers: list[tuple] = [(rf"{re.escape(self.base_path)}(.*)", self.SFH, files)]
        if self.base_path != "/":
            outside = rf"(?:/|{re.escape(self.base_path[:-1])})"  # the root; the path, no /
            handlers.append((outside, RedirectHandler, {"url": self.base_path}))
        return handlers


def _is_page(path: str) -> bool:
    return path == "" or path.endswith("/") or path.endswith(".html")


class Rebuilder:
    """Runs the incremental build and reports in the terminal and the browser."""

    def __init__(self, builder: Builder, state: State, log: TextIO = sys.stderr) -> None:
        self.builder = builder
        self.state = state
        self.log = log
        self._indexer: threading.Thread | None = None
        self._saver: threading.Timer | None = None

    def __call__(self) -> bool:
        from sitegen.commands.build import BuildError, build_errors, drafts_left_out

        started = time.perf_counter()
        try:  # content, template or publishing error: keep serving, say where
            with build_errors():
                outcome = self.builder.build()
        except BuildError as exc:
            return self._failed(str(exc))
        self.state.error = None
        seconds = time.perf_counter() - started
        print(
            f"serve: rebuilt in {seconds:.2f} s: {outcome.pages} of {outcome.total} pages "
            f"rendered, {outcome.removed} removed{drafts_left_out(outcome.drafts)}",
            file=self.log,
            flush=True,
        )
        self._index_later()
        self._save_later()
        return True

    def _save_later(self) -> None:
        """Write the build cache and collect garbage once editing pauses.

        A rebuild waits for neither: builds run with the collector paused
        (`commands.build.paused_gc`), so the last model is freed here.
        """
        if self._saver is not None:
            self._saver.cancel()
        self._saver = threading.Timer(SAVE_AFTER_IDLE, self._idle)
        self._saver.daemon = True
        self._saver.start()

    def _idle(self) -> None:
        self.builder.save_cache()
        gc.collect()

    def _index_later(self) -> None:
        """Re-index search in the background: the page reloads without waiting for it."""
        if not self.builder.search_pending:
            return
        if self._indexer is not None and self._indexer.is_alive():
            return  # it picks up the newer records when it is done
        self._indexer = threading.Thread(target=self._index, daemon=True)
        self._indexer.start()

    def _index(self) -> None:
        while self.builder.search_pending:
            started = time.perf_counter()
            try:
                languages = self.builder.index_pending()
            except Exception as exc:  # the pages are fine; say why search lags
                print(f"serve: search index failed: {exc}", file=self.log, flush=True)
                return
            seconds = time.perf_counter() - started
            if languages:
                done = ", ".join(languages)
                print(f"serve: search index ({done}) updated in {seconds:.2f} s", file=self.log)

    def _failed(self, message: str) -> bool:
        self.state.error = message
        self.state.error_page = error_page(message)
        print(f"serve: build failed: {message}", file=self.log, flush=True)
        print("serve: still serving the last good build; fix it and save", file=self.log)
        return False


class Reingester:
    """A changed raw article is ingested again (editors' edits are kept by ingest)."""

    def __init__(self, content_dir: Path, log: TextIO = sys.stderr) -> None:
        self.content_dir = content_dir
        self.log = log

    def __call__(self, changed: list[str] | None = None) -> None:
        from sitegen.ingest import format_report, ingest

        paths = [Path(p) for p in changed or [] if Path(p).is_file()]
        if not paths:
            return
        report = ingest(paths, self.content_dir, on_problem=self._problem)
        print(f"serve: re-ingested {len(paths)} seed(s): {format_report(report)}", file=self.log)

    def _problem(self, message: str) -> None:
        print(f"serve: ingest: {message}", file=self.log, flush=True)


def check_port(port: int, host: str = HOST) -> None:
    """Raise OSError if the server could not listen on `host`:`port`, before the
    first build (up to half a minute on a large site) is spent for nothing. Bound
    as the server binds (SO_REUSEADDR), so a port left in TIME_WAIT by a stopped
    server counts as free."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)


def site_url(host: str, port: int, base_path: str = "/") -> str:
    """The address to open in a browser on this machine."""
    if host in EVERY_ADDRESS:
        host = HOST
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address in a URL
    return f"http://{shown}:{port}{base_path}"


def _open_when_served(url: str, wait: float = 30.0) -> None:
    """Open `url` in the maintainer's browser (`webbrowser`: $BROWSER, else the
    desktop's) once the server answers, so the first page is not an error."""

    def open_it() -> None:
        parts = urlsplit(url)
        deadline = time.monotonic() + wait
        while not _answers(parts.hostname, parts.port) and time.monotonic() < deadline:
            time.sleep(0.1)
        if not webbrowser.open(url):
            print(f"serve: found no browser to open; open {url}", file=sys.stderr, flush=True)

    threading.Thread(target=open_it, name="open-browser", daemon=True).start()


def _answers(host: str | None, port: int | None) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def _is_loopback(host: str) -> bool:
    address = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0][4][0]
    return ipaddress.ip_address(address).is_loopback


def _announce(host: str, port: int, base_path: str = "/") -> None:
    print(f"serve: {site_url(host, port, base_path)} (Ctrl-C stops)", file=sys.stderr, flush=True)
    if not _is_loopback(host):
        print(
            f"serve: listening on {host}: anyone who can reach this machine on port"
            f" {port} can read the site and its build errors",
            file=sys.stderr,
            flush=True,
        )


def serve(
    builder: Builder,
    port: int = 8000,
    templates_dir: Path | None = None,
    seeds_dir: Path | None = None,
    host: str = HOST,
    open_browser: bool = False,
) -> None:
    """Build once, then serve `builder.out_dir` and rebuild on every change."""
    from sitegen import render

    check_port(port, host)
    state = State()
    rebuild = Rebuilder(builder, state)
    rebuild()
    builder.save_every_build = False  # written when idle and on exit (Rebuilder._save_later)
    builder.defer_search = True  # after the first build, pages never wait for search
    builder.defer_extras = True  # nor for the feeds, sitemap and dossier.json
    # The first edit should not pay for reading the cache; with a broken
    # registry the failed build has already said where.
    with contextlib.suppress(ContentError, OSError, ValueError):
        builder.warm()
    base_path = Settings().with_base_url(builder.base_url).base_path
    server = SiteServer(base_path, NotifyWatcher())
    server.SFH = _handler(state)
    server.watch(str(builder.content_dir), rebuild)
    server.watch(str(templates_dir or render.TEMPLATES_DIR), rebuild)
    if seeds_dir is not None and seeds_dir.is_dir():
        server.watch(str(seeds_dir / "*.txt"), Reingester(builder.content_dir))
    LiveReloadHandler.DEFAULT_RELOAD_TIME = RELOAD_GAP
    builder.out_dir.mkdir(parents=True, exist_ok=True)
    _announce(host, port, base_path)
    if open_browser:
        _open_when_served(site_url(host, port, base_path))
    try:
        server.serve(port=port, host=host, root=str(builder.out_dir), restart_delay=0)
    finally:
        builder.save_cache()
        builder.store_model()  # the next `sitegen build` starts from it
