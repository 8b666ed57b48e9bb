"""A preview lives under a sub-path: every internal link and asset must stay under it.

The site is built with the base URL a pull-request preview gets
(`…/dossier/pr-preview/pr-7/`) and every reference in the output is followed:
`href`, `src`, `srcset`, `poster`, social-card URLs in `<meta>`, `url()` and
`@import` in CSS (files, `<style>` and `style=`), and absolute URLs in the
sitemap, feeds and robots.txt. Each must land on a file of the output once the
prefix is mapped to its root; a root-relative link (`/en/…`) escapes the prefix
and fails. `404.html` is served at any depth, so its links are also followed
from a deep URL.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from sitegen.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "https://example.github.io/dossier/pr-preview/pr-7/"
HOST = urlsplit(PREFIX).netloc
PREFIX_PATH = urlsplit(PREFIX).path
URL_ATTRS = {"href", "src", "poster", "action", "data-src"}
META_URL_KEYS = {"og:url", "og:image", "twitter:image", "twitter:url"}
REFRESH_URL = re.compile(r"^\s*\d+\s*[;,]\s*url\s*=\s*", re.IGNORECASE)  # "0; url=…"
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.S)
ABSOLUTE_IN_TEXT = re.compile(re.escape(PREFIX) + r"[^\s\"'<>)]*")


def build_missing() -> str | None:
    """Why the build cannot run yet, or None once it is implemented."""
    if importlib.util.find_spec("sitegen.render") is None:
        return "sitegen.render is not implemented yet"
    _, unknown = build_parser().parse_known_args(["build", "--out", "x", "--base-url", PREFIX])
    if unknown:
        return "`sitegen build --out --base-url` is not implemented yet"
    return None


class References(HTMLParser):
    """Every URL an HTML page refers to, and its `<base href>` if any."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.base: str | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if tag == "base" and "href" in values:
            self.base = values["href"]
        self._in_style = tag == "style"
        for key, value in values.items():
            if key in URL_ATTRS:
                self.urls.append(value)
            elif key in ("srcset", "imagesrcset"):
                self.urls += [c.strip().split()[0] for c in value.split(",") if c.strip()]
            elif key == "style":
                self.urls += css_urls(value)
        if tag == "meta" and (values.get("property") or values.get("name")) in META_URL_KEYS:
            self.urls.append(values.get("content", ""))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.urls.append(REFRESH_URL.sub("", values.get("content", ""), count=1))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False if tag == "style" else self._in_style

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += css_urls(data)


def css_urls(css: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in CSS_URL.finditer(css) if m.group(2) or m.group(4)]


def page_url(rel: str) -> str:
    """The URL the file at `rel` is served at under the prefix."""
    return PREFIX + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)


def target(url: str, base: str, out: Path) -> tuple[Path | None, str | None]:
    """The output file `url` (seen from `base`) lands on, or why it is wrong.

    (None, None) means there is nothing to fetch: another host, mailto:, data:, or
    a fragment of the same document.
    """
    if url.strip().startswith("#"):  # the same document, already checked
        return None, None
    absolute = urljoin(base, url.strip())
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc != HOST:
        return None, None
    path = unquote(parts.path)
    if not path.startswith(PREFIX_PATH):
        return None, f"leaves the prefix {PREFIX_PATH}: {absolute}"
    file = out / path[len(PREFIX_PATH) :]
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file, None if file.is_file() else f"no such file {file.relative_to(out)}"


def references(file: Path) -> tuple[list[str], str | None]:
    """(URLs, base href) of an output file, by its kind."""
    text = file.read_text(encoding="utf-8", errors="replace")
    if file.suffix == ".html":
        parser = References()
        parser.feed(text)
        return parser.urls, parser.base
    if file.suffix == ".css":
        return css_urls(text), None
    if file.suffix in (".xml", ".txt", ".xsl"):
        return ABSOLUTE_IN_TEXT.findall(text), None
    return [], None


def broken_links(out: Path) -> tuple[list[str], int]:
    """Every bad reference in the output as 'file: url: why', and how many were followed."""
    problems: list[str] = []
    followed = 0
    for file in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = file.relative_to(out).as_posix()
        urls, base = references(file)
        bases = [page_url(rel)]
        if file.name == "404.html":  # served for any missing path
            bases.append(PREFIX + "no/such/deep/page/")
        for served_at in bases:
            start = urljoin(served_at, base) if base else served_at
            for url in urls:
                found, why = target(url, start, out)
                followed += found is not None or why is not None
                if why:
                    problems.append(f"{rel} (at {served_at}): {url!r} {why}")
    return problems, followed


def sitegen(*args: str) -> None:
    """Run a sitegen command from the repository root; fail with its stderr."""
    result = subprocess.run(
        [sys.executable, "-m", "sitegen.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"sitegen {args[0]} failed:\n{result.stderr[-3000:]}"


def content_with_articles(folder: Path) -> Path:
    """A copy of the repository's content, ingested from seeds/ while it has no article."""
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    if not any((content / "articles").glob("*.md")):
        sitegen("ingest", str(ROOT / "seeds"), "--content", str(content), "--today", "2026-01-01")
    return content


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reason = build_missing()
    if reason:
        pytest.skip(reason)
    return content_with_articles(tmp_path_factory.mktemp("content"))


@pytest.fixture(scope="module")
def preview_site(content: Path) -> Path:
    out = content.parent / "public"
    sitegen("build", "--content", str(content), "--out", str(out), "--base-url", PREFIX)
    return out


def test_every_internal_link_resolves_under_the_preview_prefix(preview_site: Path) -> None:
    for lang in ("ar", "en"):
        assert (preview_site / lang / "index.html").is_file()
    problems, followed = broken_links(preview_site)
    assert followed > 100, "the build has too few internal links to be checked"
    assert problems == [], "\n".join(problems[:50])


def test_every_article_is_built_and_so_checked(content: Path, preview_site: Path) -> None:
    slugs = {p.stem for p in (content / "articles").glob("*.md")}
    assert slugs
    for lang in ("ar", "en"):
        built = {p.parent.name for p in (preview_site / lang / "articles").glob("*/index.html")}
        assert slugs <= built


# The checker itself, on hand-made output, so it is known to catch what it must.


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_checker_accepts_relative_and_prefixed_links(tmp_path: Path) -> None:
    out = _write(
        tmp_path,
        {
            "en/index.html": '<a href="articles/x/">x</a><img srcset="../a.png 1x, ../a.png 2x">'
            f'<link rel="alternate" href="{PREFIX}ar/"><a href="https://other.org/">o</a>'
            '<a href="mailto:a@b.c">m</a><a href="#top">t</a>',
            "en/articles/x/index.html": '<link rel="stylesheet" href="../../../site.css">',
            "ar/index.html": "",
            "site.css": "body{background:url('a.png')}",
            "a.png": "",
            "404.html": f'<a href="{PREFIX_PATH}en/">home</a>',
            "sitemap.xml": f"<loc>{PREFIX}en/</loc>",
        },
    )
    problems, followed = broken_links(out)
    assert problems == []
    assert followed == 9  # not other.org, mailto: nor #top; 404.html from two places


def test_checker_catches_escapes_and_missing_files(tmp_path: Path) -> None:
    out = _write(
        tmp_path,
        {
            "en/index.html": '<a href="/en/about/">a</a><img src="missing.png">'
            '<div style="background: url(../nope.png)"></div>',
            "site.css": '@import "gone.css";',
            "404.html": '<a href="en/">home</a>',  # relative: breaks when served deep
            "sitemap.xml": f"<loc>{PREFIX}fr/</loc>",
        },
    )
    problems, _ = broken_links(out)
    text = "\n".join(problems)
    assert "leaves the prefix" in text and "'/en/about/'" in text
    for missing in ("en/missing.png", "nope.png", "gone.css", "fr/index.html"):
        assert f"no such file {missing}" in text
    assert "no/such/deep/page/" in text
    assert len(problems) == 6
