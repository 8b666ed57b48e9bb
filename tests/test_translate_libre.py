"""`sitegen translate --provider libre` against a LibreTranslate-compatible server on 127.0.0.1.

The real deep-translator `LibreTranslator` does the HTTP; only the server is
ours, so the tests see exactly what deep-translator sends and how it fails.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from sitegen import frontmatter
from sitegen.cli import main
from sitegen.translate import arabic_hash, requests_timeout

TITLE_AR = "حموشي في مدريد لتعزيز الشراكة الأمنية"
SUMMARY_AR = "اجتمع عبد اللطيف حموشي مع نظيريه الإسباني والألماني في مدريد."


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    mode = "ok"  # ok | error | hang
    hang_seconds = 3.0

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, list[str]]] = []

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        """A client that gave up (timeout) breaks the pipe; that is expected here."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(url.query) | parse_qs(self.rfile.read(length).decode())
        self.server.requests.append({"path": [url.path], **form})
        if self.server.mode == "hang":
            time.sleep(self.server.hang_seconds)
        if self.server.mode == "error" or url.path != "/translate":
            self._json(500, {"error": "internal error"})
            return
        self._json(200, {"translatedText": f"EN<{form['q'][0]}>"})

    def do_GET(self) -> None:
        self._json(200, [{"code": "ar", "name": "Arabic"}, {"code": "en", "name": "English"}])

    def _json(self, status: int, data: object) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _url(srv: _Server) -> str:
    return f"http://127.0.0.1:{srv.server_address[1]}/"


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def _article(slug: str, **fields: object) -> dict:
    meta = {
        "slug": slug,
        "source": f"seeds/{slug}.txt",
        "title_ar": TITLE_AR,
        "outlet_ar": None,
        "event_date": "2025-01-29",
        "officials": [
            {
                "id": "abdellatif-hammouchi",
                "name_ar": "عبد اللطيف حموشي",
                "name_en": "Abdellatif Hammouchi",
                "role_en": "Director General of National Security and Territorial Surveillance",
                "country": "MA",
                "known": True,
            },
            {"id": "dieter-romann", "name_en": "Dieter Romann", "country": "DE", "known": True},
        ],
        "countries": ["MA", "DE"],
        "places": [{"id": "madrid", "name_en": "Madrid", "country": "ES"}],
        "topics": ["terrorism"],
        "summary_ar": SUMMARY_AR,
    }
    meta.update(fields)
    return meta


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder with two articles, one without a headline."""
    folder = tmp_path / "content"
    frontmatter.write(folder / "articles" / "a-madrid.md", _article("a-madrid"), "نص المقال.")
    frontmatter.write(
        folder / "articles" / "b-untitled.md",
        _article("b-untitled", title_ar=None, summary_ar="ملخص ثان."),
        "نص آخر.",
    )
    return folder


def _meta(content: Path, slug: str) -> dict:
    return frontmatter.read(content / "articles" / f"{slug}.md").meta


def _libre(content: Path, url: str, *extra: str) -> int:
    args = ["translate", "--content", str(content), "--provider", "libre"]
    return main([*args, "--libre-url", url, "--api-key", "dummy", *extra])


def test_fields_are_filled_and_labelled(server: _Server, content: Path) -> None:
    assert _libre(content, _url(server)) == 0
    meta = _meta(content, "a-madrid")
    assert meta["title_en"] == f"EN<{TITLE_AR}>"
    assert meta["title_en_meta"] == {"by": "machine:libre", "ar_sha": arabic_hash(TITLE_AR)}
    assert meta["summary_en"] == f"EN<{SUMMARY_AR}>"
    assert meta["summary_en_meta"] == {"by": "machine:libre", "ar_sha": arabic_hash(SUMMARY_AR)}
    first = server.requests[0]
    assert first["path"] == ["/translate"]
    assert (first["source"], first["target"], first["api_key"]) == (["ar"], ["en"], ["dummy"])
    # No headline to translate: the title is generated from the facts, without a request.
    untitled = _meta(content, "b-untitled")
    assert untitled["title_en"] == "Abdellatif Hammouchi meets Dieter Romann in Madrid"
    assert untitled["title_en_meta"]["by"] == "generated"
    assert untitled["summary_en_meta"]["by"] == "machine:libre"
    assert len(server.requests) == 3


def test_a_second_run_makes_no_request(server: _Server, content: Path, capsys) -> None:
    assert _libre(content, _url(server)) == 0
    before = {p.name: p.read_bytes() for p in (content / "articles").iterdir()}
    count = len(server.requests)
    capsys.readouterr()
    assert _libre(content, _url(server)) == 0
    assert len(server.requests) == count
    assert {p.name: p.read_bytes() for p in (content / "articles").iterdir()} == before
    assert "nothing to do" in capsys.readouterr().out


def test_changed_arabic_is_translated_again(server: _Server, content: Path) -> None:
    assert _libre(content, _url(server)) == 0
    path = content / "articles" / "a-madrid.md"
    doc = frontmatter.read(path)
    doc.meta["summary_ar"] = "ملخص معدل."
    frontmatter.write(path, doc.meta, doc.body)
    count = len(server.requests)
    assert _libre(content, _url(server), "--only", "a-madrid") == 0
    assert len(server.requests) == count + 1
    meta = _meta(content, "a-madrid")
    assert meta["summary_en"] == "EN<ملخص معدل.>"
    assert meta["summary_en_meta"]["ar_sha"] == arabic_hash("ملخص معدل.")


def test_an_editors_text_survives(server: _Server, content: Path, capsys) -> None:
    path = content / "articles" / "a-madrid.md"
    doc = frontmatter.read(path)
    doc.meta["title_en"] = "Hammouchi in Madrid (editor, no meta)"
    doc.meta["summary_en"] = "An editor's summary."
    doc.meta["summary_en_meta"] = {"by": "editor", "ar_sha": arabic_hash("نص قديم")}
    frontmatter.write(path, doc.meta, doc.body)
    assert _libre(content, _url(server), "--only", "a-madrid") == 0
    meta = _meta(content, "a-madrid")
    assert meta["title_en"] == "Hammouchi in Madrid (editor, no meta)"
    assert "title_en_meta" not in meta
    assert meta["summary_en"] == "An editor's summary."
    assert server.requests == []
    err = capsys.readouterr().err
    assert "a-madrid: summary_en is the editor's and summary_ar changed" in err


def test_dry_run_neither_requests_nor_writes(server: _Server, content: Path, capsys) -> None:
    before = {p.name: p.read_bytes() for p in (content / "articles").iterdir()}
    assert _libre(content, _url(server), "--dry-run") == 0
    assert server.requests == []
    assert {p.name: p.read_bytes() for p in (content / "articles").iterdir()} == before
    out = capsys.readouterr().out
    assert "a-madrid: would translate title_ar with libre (missing)" in out
    assert "b-untitled: would write generated title_en (missing)" in out


def _assert_offline_fallback(content: Path, capsys, reason: str) -> None:
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if "libre" in line]
    first = f"translate: a-madrid: libre failed ({reason}); wrote the offline title and summary"
    assert lines[0] == first
    assert len(lines) == 2
    assert lines[1] == (
        f"translate: b-untitled: libre not tried (it failed earlier: {reason}); "
        "wrote the offline summary"
    )
    assert "Traceback" not in captured.err
    meta = _meta(content, "a-madrid")
    assert meta["summary_en"].startswith("Abdellatif Hammouchi, Morocco's Director General")
    assert meta["summary_en_meta"] == {"by": "generated", "ar_sha": arabic_hash(SUMMARY_AR)}
    assert meta["title_en_meta"]["by"] == "generated"


def test_server_down(content: Path, capsys) -> None:
    assert _libre(content, _closed_port_url()) == 3
    _assert_offline_fallback(content, capsys, "connection refused")


def test_server_error(server: _Server, content: Path, capsys) -> None:
    server.mode = "error"
    assert _libre(content, _url(server)) == 3
    _assert_offline_fallback(content, capsys, "service error 500")
    assert len(server.requests) == 1  # the service is not asked again once it failed


def test_server_never_answers(server: _Server, content: Path, capsys) -> None:
    server.mode = "hang"
    started = time.monotonic()
    assert _libre(content, _url(server), "--timeout", "0.5") == 3
    assert time.monotonic() - started < 2.5
    _assert_offline_fallback(content, capsys, "timeout after 0.5 s")


def test_after_a_failure_the_next_run_translates(server: _Server, content: Path, capsys) -> None:
    server.mode = "error"
    assert _libre(content, _url(server)) == 3
    assert _libre(content, _url(server)) == 3
    assert "libre failed (service error 500); kept the offline title and summary" in (
        capsys.readouterr().err
    )
    server.mode = "ok"
    assert _libre(content, _url(server)) == 0
    assert _meta(content, "a-madrid")["summary_en_meta"]["by"] == "machine:libre"


def test_missing_key_and_unknown_slug_are_usage_errors(content: Path, capsys) -> None:
    args = ["translate", "--content", str(content), "--provider", "libre"]
    assert main([*args, "--libre-url", "http://127.0.0.1:9/"]) == 2
    assert main(["translate", "--content", str(content), "--only", "nope"]) == 2
    err = capsys.readouterr().err
    assert "libre needs --api-key" in err
    assert "no article with slug 'nope'" in err


def test_the_command_line_process_exits_cleanly_when_the_server_is_down(content: Path) -> None:
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "sitegen.cli", "translate", "--content", str(content)),
            *("--provider", "libre", "--libre-url", _closed_port_url(), "--api-key", "dummy"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert "translate: a-madrid: libre failed (connection refused)" in proc.stderr


def test_requests_timeout_gives_deep_translators_requests_a_timeout(server: _Server) -> None:
    import requests

    server.mode = "hang"
    original = requests.Session.request
    started = time.monotonic()
    with requests_timeout(0.3), pytest.raises(requests.Timeout):
        requests.post(_url(server) + "translate", params={"q": "نص"})
    assert time.monotonic() - started < 2
    assert requests.Session.request is original
