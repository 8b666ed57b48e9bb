"""A site built with --drafts, as a reviewer's browser shows it: each draft is marked
on its page and in the lists, readably in both directions, with no accessibility fault."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from sitekit import LANGUAGES, Site

pytestmark = pytest.mark.browser

# The draft mark of a link: inside it (a headline) or right after it (a source's outlet).
MARK_OF_LINK = """a => a.querySelector('.draft-mark')
    || (a.nextElementSibling?.matches('.draft-mark') ? a.nextElementSibling : null)"""


def _draft_slug(site: Site) -> str:
    """The slug of the one article the drafts site marks as a draft."""
    pages = sorted((site.folder / "en" / "articles").glob("*/index.html"))
    drafts = [p.parent.name for p in pages if 'class="prov draft"' in p.read_text("utf-8")]
    assert len(drafts) == 1, drafts
    return drafts[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_draft_is_marked_on_its_page(page: Page, drafts_site: Site, language: str) -> None:
    page.goto(f"{drafts_site.url}{language}/articles/{_draft_slug(drafts_site)}/")
    note = page.locator(".prov.draft")
    assert note.is_visible()
    # The option reads left to right inside the Arabic sentence, and is not broken.
    option = note.locator("code")
    assert option.inner_text() == "--drafts"
    assert option.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert option.evaluate("e => e.getClientRects().length") == 1
    assert page.locator('meta[name="robots"][content="noindex"]').count() == 1
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_draft_is_marked_in_the_timeline(page: Page, drafts_site: Site, language: str) -> None:
    """Wherever the timeline links to the draft (an event's headline or its list of
    sources), a visible mark is in the same entry."""
    page.goto(f"{drafts_site.url}{language}/timeline/")
    links = page.locator(f'li:is(.event, .report) a[href$="/articles/{_draft_slug(drafts_site)}/"]')
    assert links.count() >= 1
    for i in range(links.count()):
        mark = links.nth(i).evaluate_handle(MARK_OF_LINK).as_element()
        assert mark is not None and mark.is_visible(), links.nth(i).inner_html()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
