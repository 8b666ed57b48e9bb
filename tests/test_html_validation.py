"""Every built page passes the Nu HTML Checker (vnu.jar, npm `vnu-jar`).

The checker runs once over the whole built folder with the machine's Java.
Without Java or `node_modules/vnu-jar` the test skips with the reason, except
on CI (`CI` set), where it fails: `.ci/run` installs both.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.needs import missing_tool

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    """The command that runs the checker (skips or fails when it cannot)."""
    java = shutil.which("java")
    missing = [
        name for name, ok in (("java", java), ("vnu.jar (npm ci)", VNU_JAR.is_file())) if not ok
    ]
    if missing:
        missing_tool(f"Nu HTML Checker unavailable: {', '.join(missing)} missing")
    return [str(java), "-jar", str(VNU_JAR)]


def _sitegen(*args: str) -> None:
    command = [sys.executable, "-m", "sitegen.cli", *args]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"sitegen {args[0]} failed:\n{result.stderr}"


@pytest.fixture(scope="module")
def built(vnu: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content (seeds ingested while it has no article), built once, with one
    article a draft and drafts shown (the draft's note is checked too)."""
    folder = tmp_path_factory.mktemp("vnu")
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    if not any((content / "articles").glob("*.md")):
        _sitegen("ingest", str(ROOT / "seeds"), "--content", str(content), "--today", "2026-01-01")
    first = sorted((content / "articles").glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1))
    out = folder / "public"
    _sitegen("build", "--content", str(content), "--out", str(out), "--drafts")
    assert list(out.glob("*/articles/*/index.html")), "no article page"
    assert 'class="prov draft"' in (out / "en" / "articles" / first.stem / "index.html").read_text()
    return out


def test_checker_reports_errors_in_bad_html(vnu: list[str], tmp_path: Path) -> None:
    """The checker is really run: a page with errors does not pass."""
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html><p><div></p>", encoding="utf-8")
    result = subprocess.run([*vnu, "--errors-only", str(tmp_path)], capture_output=True)
    assert result.returncode != 0


def test_every_page_is_valid_html(vnu: list[str], built: Path) -> None:
    pages = list(built.rglob("*.html"))
    assert len(pages) > 20
    command = [*vnu, "--errors-only", "--skip-non-html", str(built)]
    result = subprocess.run(command, capture_output=True, text=True)
    report = (result.stdout + result.stderr).replace(f"file:{built}/", "")
    assert result.returncode == 0, report
    assert report.strip() == ""
