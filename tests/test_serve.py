"""`sitegen serve`: rebuild on change, error page with file and line, recovery, live reload.

The browser test runs the real command in a subprocess on a free port and
drives Debian's Chromium (never a downloaded one) with Playwright: an open page
reloads with the new text after a content edit, shows the error (file and
line) when the YAML breaks, and comes back when it is fixed. Without Chromium
it skips, except on CI (`CI` set), where that is a failure.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sitegen.incremental import Builder
from sitegen.serve import Rebuilder, Reingester, State
from tests.needs import missing_tool

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "content"
SLUG = "hammouchi-receives-guardia-civil"
CHROMIUM = Path(os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WAIT_MS = 30_000
_LIVE_SCRIPT = re.compile(r"<script[^>]*>[^<]*livereload\.js[^<]*</script>")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def _break(path: Path) -> str:
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("title_ar: ", "title_ar: [unclosed ", 1), encoding="utf-8")
    return good


# --- without a browser -------------------------------------------------------------------------


def test_rebuilder_reports_error_and_recovers(content: Path, tmp_path: Path) -> None:
    state = State()
    log = tmp_path / "log.txt"
    with log.open("w") as handle:
        rebuild = Rebuilder(Builder(content, tmp_path / "out", tmp_path / "c", search=False), state)
        rebuild.log = handle
        assert rebuild() and state.error is None
        path = content / "articles" / f"{SLUG}.md"
        good = _break(path)
        assert not rebuild()
        assert f"{SLUG}.md:5" in (state.error or "")
        assert f"{SLUG}.md:5" in state.error_page.decode()
        assert (tmp_path / "out" / "en" / "articles" / SLUG / "index.html").is_file()
        path.write_text(good, encoding="utf-8")
        assert rebuild() and state.error is None
    assert f"{SLUG}.md:5" in log.read_text()


def test_changed_seed_is_ingested_again(tmp_path: Path) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("no seeds/ in this checkout")
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "registry", content / "registry")
    seed = tmp_path / "seeds" / seeds[0].name
    seed.parent.mkdir()
    shutil.copy(seeds[0], seed)
    log = tmp_path / "log.txt"
    with log.open("w") as handle:
        Reingester(content, handle)([str(seed)])
        (made,) = (content / "articles").glob("*.md")
        before = made.read_text(encoding="utf-8")
        seed.write_text(seed.read_text(encoding="utf-8") + "\nفقرة مضافة للاختبار.\n", "utf-8")
        Reingester(content, handle)([str(seed)])
    assert made.read_text(encoding="utf-8") != before
    assert "فقرة مضافة للاختبار" in made.read_text(encoding="utf-8")


# --- the real server in a real browser ------------------------------------------------------


def _free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"sitegen serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"sitegen serve did not answer {url} in {timeout} s")


def _serve_command(content: Path, tmp_path: Path, *options: str) -> list[str]:
    """`sitegen serve` on the test's content, with its output and cache in `tmp_path`."""
    command = [sys.executable, "-m", "sitegen.cli", "serve", *options]
    command += ["--content", str(content), "--out", str(tmp_path / "public")]
    command += ["--cache", str(tmp_path / "cache"), "--seeds", str(tmp_path / "seeds")]
    return [*command, "--no-search"]


def _until(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


def _browser(tmp_path: Path, script: str) -> dict[str, str]:
    """The environment with $BROWSER (which Python's webbrowser honours) a shell script."""
    browser = tmp_path / "browser"
    browser.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    browser.chmod(0o755)
    return {**os.environ, "BROWSER": str(browser)}


@contextlib.contextmanager
def _serving(
    content: Path,
    tmp_path: Path,
    host: str = "127.0.0.1",
    base_path: str = "/",
    options: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> Iterator[tuple[str, Path]]:
    """`sitegen serve` on a free port of `host`, answering at the site's URL (yielded,
    with the log); always stopped at the end."""
    port = _free_port(host)
    log = tmp_path / "serve.log"
    command = _serve_command(content, tmp_path, "--port", str(port), *options)
    command += ["--bind", host] if host != "127.0.0.1" else []
    command += ["--base-url", base_path] if base_path != "/" else []
    with log.open("w") as handle:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, env=env)
        try:
            url = f"http://{host}:{port}{base_path}"
            _wait_for(url + "en/", proc)
            yield url, log
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def server(content: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with _serving(content, tmp_path) as served:
        yield served


def test_bind_chooses_the_address_served_on(content: Path, tmp_path: Path) -> None:
    """127.0.0.2 is this machine too (Linux routes 127/8 to loopback), but a server
    bound to it alone does not answer on 127.0.0.1: so the option reaches the socket."""
    with _serving(content, tmp_path, host="127.0.0.2") as (url, log):
        with urllib.request.urlopen(url + "en/", timeout=5) as answer:
            assert answer.status == 200
        port = url.rstrip("/").rsplit(":", 1)[1]
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=5)
        assert f"serve: {url} (Ctrl-C stops)" in log.read_text()
        assert "anyone who can reach this machine" not in log.read_text()  # 127/8 is loopback


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch arguments, pointed at Debian's Chromium."""
    if not CHROMIUM.exists():
        missing_tool(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.mark.browser
def test_a_site_under_a_base_path_is_served_there_and_reloads(
    content: Path, tmp_path: Path, page
) -> None:
    """Its links carry the base path, so the server must answer there (as a preview
    under /pr-N/ is deployed); the root leads to it."""
    from playwright.sync_api import expect

    with _serving(content, tmp_path, base_path="/pr-7/") as (url, log):
        assert url.endswith("/pr-7/") and f"serve: {url} (Ctrl-C stops)" in log.read_text()
        root = url.removesuffix("pr-7/")
        page.goto(root)
        assert page.url == url
        failed: list[str] = []  # the styles, scripts and icon load under the base path too
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.goto(f"{url}en/")
        page.get_by_role("link", name="Timeline").first.click()
        expect(page).to_have_url(f"{url}en/timeline/")
        with page.expect_websocket(timeout=WAIT_MS):  # livereload.js connects back
            page.goto(f"{url}en/articles/{SLUG}/")
        time.sleep(1.0)  # the livereload handshake
        path = content / "articles" / f"{SLUG}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nسطر 6262\n", encoding="utf-8")
        expect(page.locator("main")).to_contain_text("6262", timeout=WAIT_MS)
        assert not failed


@pytest.mark.browser
def test_page_reloads_shows_error_and_recovers(server, content: Path, page) -> None:
    from playwright.sync_api import expect

    url, log = server
    with page.expect_websocket(timeout=WAIT_MS):  # livereload.js connects back
        page.goto(f"{url}en/articles/{SLUG}/")
    time.sleep(1.0)  # the livereload handshake
    path = content / "articles" / f"{SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nسطر جديد للاختبار 4242\n", "utf-8")
    expect(page.locator("main")).to_contain_text("4242", timeout=WAIT_MS)

    good = _break(path)
    error = page.locator("#sitegen-error")
    expect(error).to_contain_text(f"{SLUG}.md:5", timeout=WAIT_MS)
    expect(error).to_contain_text("YAML", timeout=WAIT_MS)
    assert f"{SLUG}.md:5" in log.read_text()

    path.write_text(good, encoding="utf-8")
    expect(page.locator("main")).to_contain_text("4242", timeout=WAIT_MS)
    expect(page.locator("#sitegen-error")).to_have_count(0)


def test_template_error_names_template_and_line(content: Path, tmp_path: Path) -> None:
    from sitegen import render

    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES_DIR, templates)
    builder = Builder(content, tmp_path / "out", tmp_path / "c", templates_dir=templates)
    builder.search = False
    state = State()
    rebuild = Rebuilder(builder, state, log=open(os.devnull, "w"))  # noqa: SIM115
    assert rebuild()
    about = templates / "about.html"
    good = about.read_text(encoding="utf-8")
    about.write_text("{% if %}\n" + good, encoding="utf-8")
    assert not rebuild()
    assert "about.html:1" in (state.error or "")
    about.write_text(good, encoding="utf-8")
    assert rebuild() and state.error is None


def test_serve_writes_the_content_cache_when_told_not_on_every_build(
    content: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    builder = Builder(content, tmp_path / "public", cache, search=False)
    builder.save_every_build = False
    builder.build()
    assert not list(cache.glob("content-*.pickle"))
    builder.save_cache()
    assert len(list(cache.glob("content-*.pickle"))) == 1
    fresh = Builder(content, tmp_path / "public", cache, search=False)
    assert len(fresh._content_cache().entries) == len(list((content / "articles").glob("*.md")))


def test_a_taken_port_is_said_before_any_build(content: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = _serve_command(content, tmp_path, "--port", str(port))
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in done.stderr
    assert "--port" in done.stderr
    assert not (tmp_path / "public").exists() and not (tmp_path / "cache").exists()


def test_a_free_port_passes_the_check() -> None:
    from sitegen.serve import check_port

    port = _free_port()
    check_port(port)
    check_port(port)  # the probe leaves nothing bound


def test_open_opens_the_sites_address_in_the_browser(content: Path, tmp_path: Path) -> None:
    """Through $BROWSER: a script that notes its URL."""
    opened = tmp_path / "opened.txt"
    env = _browser(tmp_path, f'echo "$1" > {opened}')
    with _serving(content, tmp_path, base_path="/pr-7/", options=("--open",), env=env) as (
        url,
        _log,
    ):
        _until(opened.exists)
        assert opened.read_text(encoding="utf-8").strip() == url
        with urllib.request.urlopen(url, timeout=5) as answer:  # answered once opened
            assert answer.status == 200


def test_open_without_a_browser_says_where_the_site_is(content: Path, tmp_path: Path) -> None:
    env = _browser(tmp_path, "exit 1")
    with _serving(content, tmp_path, options=("--open",), env=env) as (url, log):
        _until(lambda: "found no browser" in log.read_text())
        assert f"serve: found no browser to open; open {url}" in log.read_text()


def _missing(url: str) -> tuple[int, str]:
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(url, timeout=5)
    return answer.value.code, answer.value.read().decode("utf-8")


def test_a_missing_page_gets_the_sites_own_404_page(content: Path, tmp_path: Path) -> None:
    """As the hosts do: a missing page under /en/ gets the English 404 page, under /ar/
    the Arabic one, elsewhere the bilingual one; each with live reload, so it turns into
    the page once that is written."""
    public = tmp_path / "public"
    with _serving(content, tmp_path) as (url, _log):
        for path, own in (
            ("en/articles/not-written-yet/", public / "en" / "404.html"),
            ("ar/no-such-section/", public / "ar" / "404.html"),
            ("no-such-file.html", public / "404.html"),
        ):
            status, body = _missing(url + path)
            assert status == 404, path
            assert body.replace(_LIVE_SCRIPT.search(body).group(0), "") == own.read_text("utf-8")


def test_the_browser_address_of_a_wildcard_bind_is_this_machine() -> None:
    from sitegen.serve import site_url

    assert site_url("0.0.0.0", 8000) == "http://127.0.0.1:8000/"
    assert site_url("::", 8000) == "http://127.0.0.1:8000/"
    assert site_url("::1", 8000) == "http://[::1]:8000/"
    assert site_url("192.168.1.20", 8000) == "http://192.168.1.20:8000/"


def test_an_address_not_on_this_machine_is_said_before_any_build(
    content: Path, tmp_path: Path
) -> None:
    address = _an_address_not_here()
    command = _serve_command(content, tmp_path, "--bind", address)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"cannot serve on {address}:8000" in done.stderr
    assert "choose another with --bind" in done.stderr
    assert not (tmp_path / "public").exists()


def _an_address_not_here() -> str:
    """A documentation address (RFC 5737) this machine does not have: some sandboxes
    number their own interfaces from these blocks."""
    for address in ("203.0.113.1", "198.51.100.1", "192.0.2.1"):
        with socket.socket() as probe:
            try:
                probe.bind((address, 0))
            except OSError as exc:
                if exc.errno == errno.EADDRNOTAVAIL:
                    return address
    pytest.skip("this machine has every documentation address")


def test_only_a_bind_beyond_this_machine_is_warned_about(capsys) -> None:
    from sitegen.serve import _announce

    for host in ("127.0.0.1", "localhost", "::1"):
        _announce(host, 8000)
        assert "anyone who can reach" not in capsys.readouterr().err, host
    for host in ("0.0.0.0", "::", "192.168.1.20"):
        _announce(host, 8000)
        assert f"listening on {host}: anyone who can reach" in capsys.readouterr().err


def test_the_hint_names_the_option_at_fault() -> None:
    from sitegen.commands.serve import _option_to_change

    assert _option_to_change(OSError(errno.EADDRINUSE, "taken")) == "--port"
    assert _option_to_change(OSError(errno.EACCES, "below 1024")) == "--port"
    assert _option_to_change(OSError(errno.EADDRNOTAVAIL, "not here")) == "--bind"
    assert _option_to_change(OSError(errno.EAFNOSUPPORT, "no IPv6")) == "--bind"
    assert _option_to_change(socket.gaierror(-2, "unknown name")) == "--bind"
