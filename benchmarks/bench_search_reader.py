"""What a reader's search costs on a built site: requests, bytes and time to the first result.

Usage: uv run python benchmarks/bench_search_reader.py PUBLIC_DIR [--query Spain]

Serves PUBLIC_DIR (a `sitegen build` output) with Python's HTTP/1.1 server and
opens `/<lang>/search/?q=...` in headless Chromium (/usr/bin/chromium), once
on an open link and once on Lighthouse's mobile link (150 ms, 1.6 Mbit/s),
for each language. Each shard of an index adds its own index chunk and
metadata to a query, so these figures are what a smaller shard size
($SITEGEN_SEARCH_SHARD_SIZE, for quicker edits) costs the site's readers.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
MOBILE_LINK = {"latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
RESULT = ".pagefind-ui__result"
ARABIC_QUERY = "إسبانيا"  # Spain, as the Arabic site names it


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("public", type=Path)
    parser.add_argument("--query", default="Spain", help="the English query")
    args = parser.parse_args()
    queries = {"en": args.query, "ar": ARABIC_QUERY}
    header = ("language", "link", "first result", "requests", "KB", "results")
    print("{:8} {:6} {:>12} {:>8} {:>7} {:>7}".format(*header))
    with serving(args.public) as root, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for link in ("open", "mobile"):
            for lang, query in queries.items():
                url = f"{root}/{lang}/search/?q={quote(query)}"
                seconds, requests, size, results = search_once(browser, url, link == "mobile")
                line = f"{lang:8} {link:6} {seconds:11.2f}s {requests:8} {size / 1024:7.0f}"
                print(f"{line} {results:7}")
        browser.close()


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`folder` over HTTP on a free local port; yields the site root's URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def search_once(browser: Browser, url: str, throttled: bool) -> tuple[float, int, int, int]:
    """Seconds to the first result, requests and bytes until the network is idle, results."""
    context = browser.new_context()
    page = context.new_page()
    if throttled:
        session = context.new_cdp_session(page)
        session.send("Network.emulateNetworkConditions", {"offline": False, **MOBILE_LINK})
    sizes: list[int] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(RESULT, timeout=120_000)
    seconds = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    results = page.locator(RESULT).count()
    context.close()
    return seconds, len(sizes), sum(sizes), results


if __name__ == "__main__":
    main()
