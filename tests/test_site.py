"""The Site model: events grouping, undated and month-only dates, indexes, catalogues."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from sitegen import i18n
from sitegen.frontmatter import ContentError
from sitegen.registry import load_registry
from sitegen.settings import Settings, load_settings, normalize_base_url
from sitegen.site import (
    PartialDate,
    article_from,
    build_site,
    derived_title,
    group_events,
    load_site,
    sha12,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "content"
SETTINGS = Settings()


def make(slug: str, event_date: str | None, countries=("MA",), officials=(), places=()):
    meta = {
        "slug": slug,
        "title_ar": f"عنوان {slug}",
        "event_date": event_date,
        "countries": list(countries),
        "officials": [{"id": i, "name_ar": i, "country": c} for i, c in officials],
        "places": [{"id": p} for p in places],
    }
    return article_from(Path(f"{slug}.md"), meta, "نص", sha12(slug))


def groups(*articles) -> list[list[str]]:
    return sorted(
        sorted(a.slug for a in e.articles) for e in group_events(list(articles), SETTINGS)
    )


def test_reports_of_one_happening_become_one_event() -> None:
    a = make("a", "2025-01-28", ("MA", "ES", "DE"))
    b = make("b", "2025-01-29", ("MA", "ES", "DE"), places=("madrid",))
    assert groups(a, b) == [["a", "b"]]


def test_a_shared_foreign_official_joins_reports_within_the_window() -> None:
    a = make("a", "2025-03-01", ("MA", "ES"), officials=[("x", "ES")])
    b = make("b", "2025-03-03", ("MA", "FR", "ES"), officials=[("x", "ES")])
    c = make("c", "2025-03-06", ("MA", "ES"), officials=[("x", "ES")])
    assert groups(a, b, c) == [["a", "b"], ["c"]]


def test_the_home_countrys_officials_alone_do_not_make_one_event() -> None:
    a = make("a", "2025-03-01", ("MA", "US"), officials=[("h", "MA")])
    b = make("b", "2025-03-01", ("MA", "ES"), officials=[("h", "MA")])
    assert groups(a, b) == [["a"], ["b"]]


def test_month_only_dates_never_merge_with_days() -> None:
    a = make("a", "2022-06", ("MA", "US"))
    b = make("b", "2022-06-01", ("MA", "US"))
    c = make("c", "2022-06", ("MA", "US"))
    assert groups(a, b, c) == [["a", "c"], ["b"]]


def test_undated_articles_stay_out_of_events() -> None:
    site = load_site(FIXTURE)
    assert {a.slug for a in site.undated} == {
        "hammouchi-receives-guardia-civil",
        "hammouchi-spain-after-us",
    }
    assert all(a.event is None for a in site.undated)
    month = site.by_slug["2022-06-morocco-us-partnership"].event
    assert month is not None and month.date.precision == "month"
    assert [year for year, _ in site.years] == [2025, 2024, 2022]


def test_indexes_link_articles_to_every_entity() -> None:
    site = load_site(FIXTURE)
    hammouchi = site.officials["abdellatif-hammouchi"]
    assert len(hammouchi.articles) == len(site.articles)
    assert hammouchi.name_en == "Abdellatif Hammouchi" and hammouchi.known
    assert {p.id for p, _ in hammouchi.met} >= {"dieter-romann", "avril-haines"}
    assert {"MA", "ES", "US", "DE"} <= set(site.countries)
    assert site.countries["DE"].name_ar == "ألمانيا"
    assert [p.id for p in site.countries["ES"].places] == ["madrid"]
    assert site.outlets["hommepress"].articles[0].slug == "2025-01-28-hammouchi-spain-visit"
    unknown = site.officials["luis-ballez-benero"]
    assert not unknown.known and unknown.name_en is None


def test_english_provenance_and_staleness_are_read() -> None:
    site = load_site(FIXTURE)
    stale = site.by_slug["2025-01-28-hammouchi-spain-visit"].summary_en
    assert stale is not None and stale.stale and stale.by == "machine:google"
    fresh = site.by_slug["2025-01-29-hammouchi-madrid"].title_en
    assert fresh is not None and not fresh.stale and fresh.by == "editor"


def test_an_untitled_article_gets_its_opening_words_marked_as_derived() -> None:
    article = load_site(FIXTURE).by_slug["2025-01-28-hammouchi-spain-visit"]
    assert article.title_is_derived
    assert article.display_title_ar.startswith("قام عبد اللطيف حموشي")
    assert derived_title("جملة أولى. جملة ثانية.") == "جملة أولى"


@pytest.mark.parametrize("bad", ["2025-02-30", "2025-13", "29/01/2025", "2025"])
def test_impossible_dates_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(bad)


def test_a_bad_field_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("---\nslug: x\ntitle_ar: ع\nevent_date: 2025-02-30\n---\nنص\n", "utf-8")
    from sitegen.site import read_article_file

    with pytest.raises(ContentError) as error:
        article_from(path, *read_article_file(path))
    assert error.value.line == 4 and "2025-02-30" in error.value.message


def test_unsafe_slugs_and_ids_are_refused(tmp_path: Path) -> None:
    for meta in ({"slug": "../x"}, {"slug": "ok", "officials": [{"id": "a/b", "name_ar": "ع"}]}):
        with pytest.raises(ContentError):
            article_from(tmp_path / "x.md", meta, "", "0")


def test_build_site_is_deterministic() -> None:
    registry = load_registry(FIXTURE)
    first = load_site(FIXTURE)
    second = build_site(first.settings, registry, list(reversed(load_site(FIXTURE).articles)))
    assert [e.id for e in first.events] == [e.id for e in second.events]


def test_settings_base_urls() -> None:
    assert normalize_base_url("https://x.github.io/repo") == "https://x.github.io/repo/"
    assert normalize_base_url("pr-preview/pr-7") == "/pr-preview/pr-7/"
    settings = load_settings(FIXTURE).with_base_url("https://x.github.io/repo")
    assert settings.url("en/") == "/repo/en/"
    assert settings.absolute_url("en/") == "https://x.github.io/repo/en/"
    assert settings.direction("ar") == "rtl" and settings.direction("en") == "ltr"


def test_every_ui_string_has_an_arabic_translation() -> None:
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "gettext_for": (2,)}
    method_map = [("templates/**.html", "jinja2"), ("sitegen/render.py", "python")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(
            ROOT, method_map, options_map=options, keywords=keywords
        )
    }
    arabic = i18n.translations("ar")
    assert len(found) > 80
    missing = [m for m in sorted(found) if arabic.gettext(m) == m and m not in {"MT"}]
    assert missing == []
