"""Real-browser fixtures: the built site, a local server, Debian's Chromium.

The real `content/` is built once per session under a sub-path base URL and
served from 127.0.0.1 under that sub-path, so a link that forgets the base
path fails here as it would on a project site. Playwright drives the
system Chromium (never a downloaded one). Without it the suite skips, except
on CI (`CI` set), where a missing browser is a failure.

The search tests also run on a second build whose search index is split
into shards of a few records (`sharded_site`), as a large site's is.

`SITEGEN_TEST_CONTENT=DIR` builds another content folder; `SITEGEN_TEST_SITE=DIR`
serves a folder already built from it with `--base-url /sitegen-test/`, to
iterate on the tests without rebuilding.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Page, Request
from sitekit import (
    BASE_PATH,
    CHROMIUM,
    CHROMIUM_ARGS,
    CONTENT,
    SCREENSHOTS,
    SHARD_SIZE,
    Site,
    content_with_articles,
    sitegen,
)

from tests.needs import missing_tool


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        missing_tool(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="session")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The content the site is built from: CONTENT, or seeds ingested while it is empty."""
    if os.environ.get("SITEGEN_TEST_SITE"):
        return CONTENT
    return content_with_articles(tmp_path_factory.mktemp("content"))


@pytest.fixture(scope="session")
def built_site(content: Path) -> Path:
    """`sitegen build` of the content under BASE_PATH, once per session."""
    _require_chromium()
    prebuilt = os.environ.get("SITEGEN_TEST_SITE")
    if prebuilt:
        return Path(prebuilt)
    out = content.parent / "public"
    sitegen("build", "--content", str(content), "--out", str(out), "--base-url", BASE_PATH)
    return out


class _Handler(SimpleHTTPRequestHandler):
    """Static files under BASE_PATH; the site's /404.html for anything missing."""

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(BASE_PATH):
            return str(Path(self.directory) / "__outside_base_path__" / "missing")
        return super().translate_path("/" + path[len(BASE_PATH) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site(built_site: Path) -> Iterator[Site]:
    """The built site served on 127.0.0.1 under BASE_PATH."""
    yield from _serve(built_site)


@pytest.fixture(scope="session")
def sharded_site(content: Path) -> Iterator[Site]:
    """The content built with its search index in shards of SHARD_SIZE records, served."""
    _require_chromium()
    out = content.parent / "public-sharded"
    environ = {**os.environ, "SITEGEN_SEARCH_SHARD_SIZE": str(SHARD_SIZE)}
    build = ("build", "--content", str(content), "--out", str(out), "--base-url", BASE_PATH)
    sitegen(*build, env=environ)
    yield from _serve(out)


@pytest.fixture(scope="session")
def drafts_site(content: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The content with its first article a draft, built with --drafts, served."""
    _require_chromium()
    folder = tmp_path_factory.mktemp("drafts")
    drafted = folder / "content"
    shutil.copytree(content, drafted)
    first = sorted((drafted / "articles").glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1))
    out = folder / "public"
    build = ("build", "--content", str(drafted), "--out", str(out), "--base-url", BASE_PATH)
    sitegen(*build, "--drafts")
    yield from _serve(out)


# The origins of the sites served here: the only hosts a page may load from.
_SERVED_ORIGINS: set[str] = set()


def _serve(folder: Path) -> Iterator[Site]:
    handler = functools.partial(_Handler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _SERVED_ORIGINS.add(f"http://127.0.0.1:{server.server_port}/")
    try:
        yield Site(folder, f"http://127.0.0.1:{server.server_port}{BASE_PATH}")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch arguments, pointed at Debian's Chromium."""
    _require_chromium()
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Folder CI keeps: one PNG per page, language and width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(autouse=True)
def only_local_requests(page: Page, site: Site) -> Iterator[None]:
    """Every page loads from the site alone: no font, script or image from another host."""
    foreign: list[str] = []

    def check(request: Request) -> None:
        if not request.url.startswith((*_SERVED_ORIGINS, "data:", "blob:", "about:")):
            foreign.append(request.url)

    page.on("request", check)
    yield
    assert foreign == [], f"requests to other hosts: {foreign}"
