"""What the browser tests share: the page kinds, where the site is served, Chromium.

Kept out of conftest.py so test modules can import it by name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE_PATH = "/sitegen-test/"
# The content the site is built from (the real one unless told otherwise).
CONTENT = Path(os.environ.get("SITEGEN_TEST_CONTENT", ROOT / "content")).resolve()
SEEDS = ROOT / "seeds"
CHROMIUM = Path(os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# Most search records per shard on the sharded test site: several shards of a few records.
SHARD_SIZE = 4
LANGUAGES = ("ar", "en")
# Page kinds whose path names one item: the first item the build wrote is used.
ITEM_KINDS = {
    "country": "countries",
    "official": "officials",
    "topic": "topics",
    "outlet": "outlets",
    "article": "articles",
}
FIXED_KINDS = {
    "home": "",
    "timeline": "timeline/",
    "about": "about/",
    "search": "search/",
    "404": "404.html",
}
PAGE_KINDS = ("home", "timeline", "country", "official", "topic", "outlet", "article", "about")
PAGE_KINDS += ("search", "404")


@dataclass(frozen=True)
class Site:
    """The built folder and where the local server shows it."""

    folder: Path
    url: str  # http://127.0.0.1:PORT/sitegen-test/

    def path_of(self, kind: str, language: str) -> str:
        """Site path of a page kind in a language, e.g. 'ar/countries/es/'."""
        if kind in FIXED_KINDS:
            return f"{language}/{FIXED_KINDS[kind]}"
        section = self.folder / language / ITEM_KINDS[kind]
        items = sorted(p.parent.name for p in section.glob("*/index.html"))
        if not items:
            pytest.fail(f"the build wrote no {kind} page under {section}")
        return f"{language}/{ITEM_KINDS[kind]}/{items[0]}/"

    def to_path(self, url: str) -> str:
        """The site path of a URL served here ('' for the root)."""
        path = urlsplit(url).path
        assert path.startswith(BASE_PATH), f"{url} is outside the site's base path"
        return path[len(BASE_PATH) :]


def sitegen(*args: str, env: dict[str, str] | None = None) -> None:
    """Run the CLI as a reader would; a failure shows its stderr."""
    command = [sys.executable, "-m", "sitegen.cli", *args]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        pytest.fail(f"sitegen {args[0]} failed ({result.returncode}):\n{result.stderr}")


def content_with_articles(folder: Path) -> Path:
    """A copy of CONTENT, ingested from seeds/ while it has no article yet."""
    content = folder / "content"
    shutil.copytree(CONTENT, content)
    if not any((content / "articles").glob("*.md")):
        sitegen("ingest", str(SEEDS), "--content", str(content), "--today", "2026-01-01")
    return content
