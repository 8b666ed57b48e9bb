"""Search as a reader uses it: type a name, get the articles, follow a result.

The expected articles are worked out from the content files themselves: every
article whose Arabic text writes the name in any form (with proclitics,
spelling variants) must come up, in both languages, and every result must
lead to a page that exists. Every test runs twice: on the site as built, its
index one Pagefind bundle per language, and on the same content with the
index in shards of a few records, as a large site's is, which the search
page merges into one.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sitekit import Site

from sitegen.frontmatter import read
from sitegen.publish.search import SHARDS_FILE
from sitegen.publish.search_text import index_text, query_text
from sitegen.registry import load_registry

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=["one bundle", "shards"])
def site(request: pytest.FixtureRequest, site: Site) -> Site:
    """The built site (conftest's `site`), then the one with a sharded index."""
    return site if request.param == "one bundle" else request.getfixturevalue("sharded_site")


RESULT_LINK = ".pagefind-ui__result-link"
ARTICLE = re.compile(r"^(ar|en)/articles/([^/]+)/$")


def _articles_naming(content: Path, word: str) -> set[str]:
    """Slugs of the content articles whose Arabic text contains `word` in any form."""
    wanted = query_text(word, "ar")
    found = set()
    for path in sorted((content / "articles").glob("*.md")):
        doc = read(path)
        words = index_text(f"{doc.meta.get('title_ar') or ''}\n{doc.body}", "ar").split()
        if wanted in words:
            found.add(doc.meta["slug"])
    return found


def _search(page: Page, site: Site, language: str, query: str) -> list[str]:
    """Type `query` on the search page; the site paths of every result."""
    page.goto(site.url + f"{language}/search/")
    page.locator("[data-search][data-ready=true]").wait_for()
    page.locator("[data-search] input").fill(query)
    expect(page.locator(RESULT_LINK).first).to_be_visible(timeout=10_000)
    _wait_for_every_result(page)
    more = page.locator(".pagefind-ui__button")
    while more.count() and more.first.is_visible():
        more.first.click()
        _wait_for_every_result(page)
    hrefs = [link.evaluate("a => a.href") for link in page.locator(RESULT_LINK).all()]
    return [site.to_path(href) for href in hrefs]


def _wait_for_every_result(page: Page) -> None:
    """Pagefind UI lists results as placeholders and fills each when its fragment loads."""
    page.wait_for_function(
        """([item, link]) => {
            const items = document.querySelectorAll(item).length;
            return items > 0 && document.querySelectorAll(link).length === items;
        }""",
        arg=[".pagefind-ui__result", RESULT_LINK],
        timeout=10_000,
    )


def _slugs(paths: list[str], language: str) -> set[str]:
    return {m.group(2) for p in paths if (m := ARTICLE.match(p)) and m.group(1) == language}


def test_bare_name_finds_every_prefixed_form(
    page: Page, site: Site, content: Path, screenshots: Path
) -> None:
    expected = _articles_naming(content, "حموشي")
    assert expected, "no content article names حموشي: the test has nothing to find"
    paths = _search(page, site, "ar", "حموشي")
    page.screenshot(path=screenshots / "ar-search-results-1280.png", full_page=True)
    assert expected <= _slugs(paths, "ar")
    direction = page.locator("[data-search]").evaluate("el => getComputedStyle(el).direction")
    assert direction == "rtl"
    assert _search(page, site, "ar", "الحموشي") == paths


@pytest.mark.parametrize("query", ["اسبانيا", "الارهاب", "الشرطه", "المغربيه"])
def test_spelling_variants_are_found(page: Page, site: Site, content: Path, query: str) -> None:
    """Bare alef, teh marbuta as heh: the articles writing إسبانيا, الإرهاب, الشرطة …"""
    expected = _articles_naming(content, query)
    assert expected, f"no content article writes {query} in any form"
    assert expected <= _slugs(_search(page, site, "ar", query), "ar")


def test_english_name_finds_the_same_articles(page: Page, site: Site, screenshots: Path) -> None:
    arabic = _slugs(_search(page, site, "ar", "حموشي"), "ar")
    english = _slugs(_search(page, site, "en", "Hammouchi"), "en")
    page.screenshot(path=screenshots / "en-search-results-1280.png", full_page=True)
    assert english == arabic
    assert page.locator("[data-search]").evaluate("el => getComputedStyle(el).direction") == "ltr"


@pytest.mark.parametrize(
    ("language", "field", "value"),
    [("en", "topics", "cybercrime"), ("en", "countries", "DZ"), ("ar", "countries", "DE")],
)
def test_a_fact_by_its_shown_name_finds_its_articles(
    page: Page, site: Site, content: Path, language: str, field: str, value: str
) -> None:
    """A country or topic, searched by the name the facts list gives it, finds every
    article listing it, however its text names it ("الألمانية" for Germany, or nothing)."""
    expected = set()
    for path in sorted((content / "articles").glob("*.md")):
        meta = read(path).meta
        if value in (meta.get(field) or []):
            expected.add(meta["slug"])
    assert expected, f"no content article lists {value} in its {field}"
    registry = load_registry(content)
    if field == "topics":
        name = getattr(registry.topics[value], language)
    else:
        name = registry.country_name(value, language)
    assert expected <= _slugs(_search(page, site, language, name), language)


@pytest.mark.parametrize(("language", "query"), [("ar", "حموشي"), ("en", "Hammouchi")])
def test_results_lead_to_existing_pages(page: Page, site: Site, language: str, query: str) -> None:
    paths = _search(page, site, language, query)
    for path in paths:
        assert path.startswith(f"{language}/"), f"{path}: result in the wrong language"
        assert (site.folder / path / "index.html").is_file(), f"result {path} has no page"
    first = page.locator(RESULT_LINK).first
    title = first.inner_text().strip()
    first.click()
    page.wait_for_load_state("load")
    assert site.to_path(page.url) == paths[0]
    assert title in page.locator("h1").first.inner_text(), "result title is not the page's"


def test_query_in_address_searches_at_once(page: Page, site: Site) -> None:
    page.goto(site.url + "ar/search/?q=" + "وحموشي")
    expect(page.locator(RESULT_LINK).first).to_be_visible(timeout=10_000)


def test_english_search_ignores_accents(page: Page, site: Site) -> None:
    """Readers type "Sanchez" for "Sánchez"."""
    plain = _search(page, site, "en", "Sanchez")
    assert plain and plain == _search(page, site, "en", "Sánchez")


def _shard_of_records(bundle: Path) -> dict[str, Path]:
    """The bundle (first or merged shard) holding each record, by URL, from its fragments."""
    held = {}
    for folder in [bundle, *sorted((bundle / "shards").glob("*/"))]:
        for path in (folder / "fragment").glob("*.pf_fragment"):
            data = gzip.decompress(path.read_bytes())
            held[json.loads(data[data.index(b"{") :])["url"]] = folder
    return held


def test_name_in_several_shards_is_found_in_each(
    page: Page, site: Site, sharded_site: Site, content: Path
) -> None:
    """The name's articles lie in several shards of the sharded index: all of them come up."""
    if site != sharded_site:
        pytest.skip("the sharded site's test")
    bundle = site.folder / "ar" / "pagefind"
    assert json.loads((bundle / SHARDS_FILE).read_text(encoding="utf-8"))["shards"]
    held = _shard_of_records(bundle)
    expected = _articles_naming(content, "حموشي")
    holding = {held[f"/ar/articles/{slug}/"] for slug in expected}
    assert len(holding) > 1, "the name's articles are all in one shard: nothing to merge"
    assert expected <= _slugs(_search(page, site, "ar", "حموشي"), "ar")
