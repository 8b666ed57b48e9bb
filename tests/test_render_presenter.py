"""Presenter methods that replaced template macros give the macros' exact HTML.

The macros are kept here as they were in templates/macros.html, rendered in the
renderer's own environment (same `L`, `lang` and `_`), and compared with the
Presenter's Python for every article of the fixture content (English from an
editor, from a machine, generated, stale, missing; derived titles) and for
texts holding HTML's special characters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen import render
from sitegen.registry import load_registry
from sitegen.settings import load_settings
from sitegen.site import Site, build_site, read_articles

# ruff: noqa: E501 -- OLD_MACROS keeps the macros' long lines as they were.
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "content"

OLD_MACROS = """
{% macro text(s) -%}
<span{% if s.lang != lang %} lang="{{ s.lang }}" dir="{{ 'rtl' if s.lang == 'ar' else 'ltr' }}"{% endif %}>{{ s.text }}</span>
{%- if s.untranslated %}{{ L.untranslated_mark }}{% endif %}
{%- endmacro %}
{% macro title_inline(article) -%}
{% set t = L.title(article) %}{{ text(t) }}
{%- if t.by and t.by.startswith('machine:') %} <span class="mt" title="{{ L.provenance(t) }}">{{ _("MT") }}</span>{% endif %}
{%- if t.derived %} <span class="derived">{{ _("(no headline)") }}</span>{% endif %}
{%- endmacro %}
"""


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site(load_settings(FIXTURE), load_registry(FIXTURE), read_articles(FIXTURE))


@pytest.fixture(scope="module")
def renderer(site: Site) -> render.Renderer:
    return render.Renderer(site, render.TEMPLATES_DIR)


def _macros(renderer: render.Renderer, lang: str):
    return renderer.envs[lang].from_string(OLD_MACROS).module


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_title_inline_and_text_match_the_old_macros(renderer: render.Renderer, lang: str) -> None:
    L, old = renderer.presenters[lang], _macros(renderer, lang)
    seen: set[str] = set()
    for article in renderer.site.articles:
        assert L.title_inline(article) == old.title_inline(article)
        for shown in (L.title(article), L.summary(article)):
            if shown is not None:
                assert L.text(shown) == old.text(shown)
        seen.add(str(L.title_inline(article)))
    if lang == "en":  # the fixture exercises every branch of the English title
        assert any('class="mt"' in html for html in seen)
        assert any('class="untr"' in html for html in seen)
    assert any('class="derived"' in html for html in seen)


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("shown_lang", ["ar", "en"])
@pytest.mark.parametrize("untranslated", [False, True])
def test_text_escapes_like_the_old_macro(
    renderer: render.Renderer, lang: str, shown_lang: str, untranslated: bool
) -> None:
    L, old = renderer.presenters[lang], _macros(renderer, lang)
    shown = render.Shown("<b>\"A\" & 'B'</b>", shown_lang, untranslated=untranslated)
    assert L.text(shown) == old.text(shown)
    assert "<b>" not in L.text(shown)


def test_html_helpers_escape_each_text_once(renderer: render.Renderer) -> None:
    """Names, roles and dates are escaped exactly once, as Markup.format did."""
    from types import SimpleNamespace

    ar, en = renderer.presenters["ar"], renderer.presenters["en"]
    who = SimpleNamespace(name_ar="<ع&ل>", name_en=None, role_ar='"ر"', role_en=None)
    assert ar.name(who) == "<bdi>&lt;ع&amp;ل&gt;</bdi>"
    assert en.name(who) == f'<bdi lang="ar">&lt;ع&amp;ل&gt;</bdi>{en.untranslated_mark}'
    assert ar.role(who) == "&#34;ر&#34;"
    assert en.role(who) == f'<span lang="ar">&#34;ر&#34;</span>{en.untranslated_mark}'
    assert en.role(SimpleNamespace(role_ar=None, role_en=None)) == ""
    assert en.num(12345) == "<bdi>12,345</bdi>"
    day = en.partial("2025-01-29")
    assert en.date(day) == '<time datetime="2025-01-29"><bdi>29 January 2025</bdi></time>'
    assert en.date(None) == '<span class="nodate">date unknown</span>'


def test_page_links_name_the_page_in_every_language(renderer: render.Renderer) -> None:
    L = renderer.presenters["en"]
    links = L.links("articles/x/")
    base = renderer.site.settings.absolute_url("")
    assert links.canonical == f"{base}en/articles/x/"
    assert links.alternates == (("ar", f"{base}ar/articles/x/"), ("en", f"{base}en/articles/x/"))
    assert links.default == f"{base}ar/articles/x/"
    assert links.switch == (("ar", L.url("articles/x/", "ar"), "العربية"),)
    assert links.section == "articles"
    assert L.links("").section == ""


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("en", ["United States", "Spain", "Rabat", "Cybercrime"]), ("ar", ["إسبانيا", "الرباط"])],
)
def test_search_record_names_the_facts_as_the_page_does(
    renderer: render.Renderer, lang: str, shown: list[str]
) -> None:
    """Countries, places and topics reach the record in the page's language, where
    the article's own text would not let a reader find them by those names."""
    from sitegen.publish import article_record

    article = renderer.site.by_slug["2022-06-morocco-us-partnership"]
    record = article_record(renderer.presenters[lang], article)
    for name in shown:
        assert name in record["text"].split("\n"), f"{name} is not in the {lang} record"
