"""Every page kind in both languages, as a reader's browser shows it.

Direction, the language switcher, horizontal overflow at a phone's and a
desktop's width, axe-core's accessibility rules, and (for Arabic, where axe
leaves short text "incomplete") text contrast computed from the page's own
colours. Each page is screenshotted for CI to keep.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from sitekit import LANGUAGES, PAGE_KINDS, Site

pytestmark = pytest.mark.browser

JS = Path(__file__).parent / "js"
OVERFLOW_JS = (JS / "overflow.js").read_text(encoding="utf-8")
CONTRAST_JS = (JS / "contrast.js").read_text(encoding="utf-8")
DIRECTION = {"ar": "rtl", "en": "ltr"}
WIDTHS = (360, 1280)
PAGES = [(kind, language) for kind in PAGE_KINDS for language in LANGUAGES]


def _open(page: Page, site: Site, path: str) -> None:
    response = page.goto(site.url + path, wait_until="load")
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    if page.locator("[data-search]").count():  # the search UI starts after load
        page.locator("[data-search][data-ready=true]").wait_for()


def _direction(page: Page) -> tuple[str, str, str]:
    script = """() => [document.documentElement.lang,
        getComputedStyle(document.documentElement).direction,
        getComputedStyle(document.body).direction]"""
    return tuple(page.evaluate(script))


@pytest.mark.parametrize(("kind", "language"), PAGES)
def test_direction_and_language_switcher(page: Page, site: Site, kind: str, language: str) -> None:
    path = site.path_of(kind, language)
    _open(page, site, path)
    assert _direction(page) == (language, DIRECTION[language], DIRECTION[language])
    other = next(lang for lang in LANGUAGES if lang != language)
    switcher = page.locator(f"a[hreflang='{other}']").first
    assert switcher.is_visible(), f"{path}: no visible link with hreflang={other}"
    switcher.click()
    page.wait_for_load_state("load")
    expected = other + path[len(language) :]
    assert site.to_path(page.url) == expected
    assert _direction(page) == (other, DIRECTION[other], DIRECTION[other])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("kind", "language"), PAGES)
def test_no_horizontal_overflow(
    page: Page, site: Site, screenshots: Path, kind: str, language: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    _open(page, site, site.path_of(kind, language))
    page.screenshot(path=screenshots / f"{language}-{kind}-{width}.png", full_page=True)
    result = page.evaluate(OVERFLOW_JS)
    assert result["scrollWidth"] <= result["clientWidth"], (
        f"{language}/{kind} at {width}px: page is {result['scrollWidth']}px wide; "
        f"sticking out: {result['offenders']}"
    )


@pytest.mark.parametrize(("kind", "language"), PAGES)
def test_axe_finds_no_violation(page: Page, site: Site, kind: str, language: str) -> None:
    _open(page, site, site.path_of(kind, language))
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize(("kind", "language"), PAGES)
def test_text_contrast(page: Page, site: Site, kind: str, language: str) -> None:
    """Needed for Arabic, where axe cannot judge; on English pages it backs axe up."""
    _open(page, site, site.path_of(kind, language))
    result = page.evaluate(CONTRAST_JS)
    assert result["checked"] > 0
    assert result["failures"] == [], "\n".join(result["failures"])
    assert result["unknown"] == [], f"text on a background image: {result['unknown']}"


def test_language_choice_page(page: Page, site: Site) -> None:
    _open(page, site, "")
    links = page.locator("a[hreflang]").all()
    targets = {site.to_path(link.evaluate("a => a.href")) for link in links}
    assert {"ar/", "en/"} <= targets
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ["", "ar/", "en/", "ar/no-such-page/"])
def test_every_page_names_an_icon_that_loads(page: Page, site: Site, path: str) -> None:
    """Without one, browsers ask for /favicon.ico on every page and get a 404."""
    page.goto(site.url + path, wait_until="load")
    icon = page.locator("link[rel=icon]")
    assert icon.count() == 1, f"/{path}: {icon.count()} icon links"
    response = page.request.get(icon.evaluate("link => link.href"))
    assert response.ok, f"/{path}: icon is HTTP {response.status}"
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.body()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_articles_folder_leads_to_the_timeline(page: Page, site: Site, language: str) -> None:
    page.goto(f"{site.url}{language}/articles/")
    page.wait_for_url(f"{site.url}{language}/timeline/", timeout=5_000)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1 and page.locator("ol, ul").count() > 0


def test_missing_page_gets_the_404_page(page: Page, site: Site) -> None:
    response = page.goto(site.url + "ar/no-such-page/")
    assert response is not None and response.status == 404
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    contrast = page.evaluate(CONTRAST_JS)
    assert contrast["failures"] == [], "\n".join(contrast["failures"])
    links = page.locator("a[href]").all()
    assert links, "the 404 page offers no way back"
    for link in links:
        href = link.get_attribute("href") or ""
        if href.startswith(("http:", "https:", "mailto:", "#")):
            continue
        target = page.request.get(link.evaluate("a => a.href"))
        assert target.ok, f"404 page links to {href}, which is {target.status}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_mentioned_date_reads_date_dash_span(page: Page, site: Site, language: str) -> None:
    """The dash sits between the date and the Arabic it came from, in either direction."""
    page.set_viewport_size({"width": 1280, "height": 800})
    _open(page, site, site.path_of("article", language))
    boxes = page.locator(".dates li").first.evaluate(
        """li => ['time', '.sep', '.span-ar'].map(s => {
            const r = li.querySelector(s).getBoundingClientRect(); return [r.left, r.right]; })"""
    )
    if DIRECTION[language] == "rtl":
        boxes = [[-right, -left] for left, right in boxes]  # read from the right
    (_, date_end), (dash_start, dash_end), (span_start, _) = boxes
    assert date_end <= dash_start + 0.5 and dash_end <= span_start + 0.5, boxes


@pytest.mark.parametrize("language", ["ar", "en"])
def test_skip_link_hidden_until_keyboard_focus(page: Page, site: Site, language: str) -> None:
    """The first Tab reaches a visible "skip to content" link, unseen before."""
    page.set_viewport_size({"width": 360, "height": 640})
    _open(page, site, site.path_of("article", language))
    skip = page.locator("a[href='#main']").first
    assert skip.bounding_box()["y"] + skip.bounding_box()["height"] <= 0, "shows before focus"
    page.keyboard.press("Tab")
    assert skip.evaluate("a => a === document.activeElement")
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0, "not visible when focused"
