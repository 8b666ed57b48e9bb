"""Dates in every month-name system, ranges, Arabic-Indic digits, weekday-based years."""

from __future__ import annotations

from datetime import date

import pytest

from sitegen.extract.dates import find_dates
from sitegen.extract.text import tokenize

REF = date(2026, 11, 23)


def _dates(text: str, reference: date = REF, years: list[int] | None = None) -> list[str]:
    return [d.date.isoformat() for d in find_dates(text, tokenize(text), reference, years).dates]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وصل يوم 3 شتنبر 2024 إلى الرباط", "2024-09-03"),  # Maghrebi
        ("في 3 سبتمبر 2024", "2024-09-03"),  # Egyptian / Gulf
        ("في 3 أيلول 2024", "2024-09-03"),  # Levantine
        ("في 12 جانفي 2023", "2023-01-12"),  # Algerian / Tunisian
        ("في 12 كانون الثاني 2023", "2023-01-12"),  # two-word Levantine month
        ("في 5 جويلية 2021", "2021-07-05"),
        ("في 5 يوليوز 2021", "2021-07-05"),
        ("في 20 غشت 2020", "2020-08-20"),
        ("في 20 أوت 2020", "2020-08-20"),
        ("في 1 دجنبر 2019", "2019-12-01"),
        ("في فاتح ماي 2021", "2021-05-01"),
        ("بتاريخ ١٥ نونبر ٢٠٢٢", "2022-11-15"),  # Arabic-Indic digits
        ("بتاريخ 29/01/2025", "2025-01-29"),
        ("بتاريخ 2025/01/29", "2025-01-29"),  # year first, as some outlets write it
        ("بتاريخ 2025.1.29", "2025-01-29"),
    ],
)
def test_month_systems_and_digits(text: str, expected: str) -> None:
    assert _dates(text) == [expected]


def test_ranges_give_every_day() -> None:
    assert _dates("خلال يومي 13 و14 يونيو 2022") == ["2022-06-13", "2022-06-14"]
    assert _dates("يومي 28 و 29 يناير 2025") == ["2025-01-28", "2025-01-29"]
    assert _dates("من 3 إلى 5 مارس 2024") == ["2024-03-03", "2024-03-04", "2024-03-05"]


@pytest.mark.parametrize("text", ["ما بين 13 و15 مارس 2024", "في الفترة بين 13 و 15 مارس 2024"])
def test_between_two_days_is_a_range(text: str) -> None:
    assert _dates(text) == ["2024-03-13", "2024-03-14", "2024-03-15"]


def _days(first: str, last: str) -> list[str]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [date.fromordinal(n).isoformat() for n in range(start.toordinal(), end.toordinal() + 1)]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("من 28 فبراير إلى 2 مارس 2023", "2023-02-28", "2023-03-02"),
        ("من 28 فبراير إلى 2 مارس 2024", "2024-02-28", "2024-03-02"),  # 29 February too
        ("30 يونيو - 1 يوليوز 2024", "2024-06-30", "2024-07-01"),
        ("من 30 يونيو إلى غاية 2 يوليوز 2024", "2024-06-30", "2024-07-02"),
        ("من 13 مارس إلى 15 مارس 2024", "2024-03-13", "2024-03-15"),
        ("من 28 دجنبر إلى 2 يناير 2023", "2022-12-28", "2023-01-02"),  # year of the last end
        ("من 28 دجنبر 2022 إلى 2 يناير", "2022-12-28", "2023-01-02"),  # year of the first end
        ("من 28 دجنبر إلى 2 يناير", "2025-12-28", "2026-01-02"),  # both inferred together
        ("بين 28 فبراير و2 مارس 2023", "2023-02-28", "2023-03-02"),  # "و" after "بين"
        ("بين 28 دجنبر و 2 يناير 2023", "2022-12-28", "2023-01-02"),
    ],
)
def test_a_range_across_a_month_end_gives_every_day(text: str, first: str, last: str) -> None:
    found = find_dates(text, tokenize(text), REF).dates
    assert [d.date.isoformat() for d in found] == _days(first, last)
    assert {d.text for d in found} == {text.removeprefix("من ").removeprefix("بين ")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أجل الاجتماع من 3 مارس إلى 5 أبريل 2024", ["2024-03-03", "2024-04-05"]),  # too long
        ("من 3 مارس 2023 إلى 2 أبريل 2024", ["2023-03-03", "2024-04-02"]),  # another year
        ("من 28 فبراير إلى 2 ماي 2023", ["2023-02-28", "2023-05-02"]),  # not the next month
        ("في 28 فبراير و2 مارس 2023", ["2023-02-28", "2023-03-02"]),  # a list
        ("يومي 28 فبراير و1 مارس 2023", ["2023-02-28", "2023-03-01"]),
        ("بين 3 مارس و5 ماي 2023", ["2023-03-03", "2023-05-05"]),  # too long
        ("من 15 مارس إلى 13 مارس 2024", ["2024-03-15", "2024-03-13"]),  # backwards
    ],
)
def test_two_dates_that_are_no_range_keep_their_ends(text: str, expected: list[str]) -> None:
    assert _dates(text) == expected


def test_two_days_without_between_are_a_list() -> None:
    assert _dates("يومي 13 و15 مارس 2024") == ["2024-03-13", "2024-03-15"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وصل الوفد يوم الأول من مارس 2023", "2023-03-01"),
        ("في العاشر من مارس 2023", "2023-03-10"),
        ("في الحادي عشر من شتنبر 2001", "2001-09-11"),
        ("الأربعاء الخامس عشر من مارس 2023", "2023-03-15"),  # after a weekday
        ("يوم الحادي والعشرين من مارس 2023", "2023-03-21"),
        ("منذ الثلاثين من يونيو 2022", "2022-06-30"),
    ],
)
def test_ordinal_day_words(text: str, expected: str) -> None:
    assert _dates(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "خلال الأسبوع الأول من مارس 2023",  # a week of March, not its first day
        "في النصف الثاني من مارس 2023",
        "في الثلاثين من فبراير 2023",  # no such day
    ],
)
def test_an_ordinal_without_an_opener_or_a_real_day_is_no_date(text: str) -> None:
    assert _dates(text) == []


@pytest.mark.parametrize(
    ("text", "expected", "span"),
    [
        ("في فاتح يناير من سنة 2023", "2023-01-01", "فاتح يناير من سنة 2023"),
        ("يوم 15 مارس من عام 2023", "2023-03-15", "15 مارس من عام 2023"),
        ("يوم 15 مارس سنة 2023", "2023-03-15", "15 مارس سنة 2023"),
        ("يوم 15 مارس من سنة", "2026-03-15", "15 مارس"),  # no year: the words are no part
        ("يوم 15 مارس، 2024", "2024-03-15", "15 مارس، 2024"),  # a comma before the year
        ("يوم 15 مارس، ثم", "2026-03-15", "15 مارس"),
    ],
)
def test_a_year_after_year_words(text: str, expected: str, span: str) -> None:
    (found,) = find_dates(text, tokenize(text), REF).dates
    assert (found.date.isoformat(), found.text) == (expected, span)


def test_a_month_and_a_year_after_year_words() -> None:
    text = "في يناير من عام 2025"
    assert find_dates(text, tokenize(text), REF).months == [("2025-01", 3)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سينعقد الاجتماع يوم 15 يناير المقبل", "2027-01-15"),  # REF is 23 November 2026
        ("في 15 دجنبر القادم", "2026-12-15"),
        ("في 15 نونبر المقبل", "2027-11-15"),
        ("يوم 30 نونبر الجاري", "2026-11-30"),  # after REF, but this month
        ("في 15 دجنبر الماضي", "2025-12-15"),
        ("في 15 مارس من السنة المقبلة", "2027-03-15"),
        ("في 15 مارس من العام الماضي", "2025-03-15"),
        ("في 15 مارس من هذا العام", "2026-03-15"),
    ],
)
def test_a_year_said_in_words_after_the_month(text: str, expected: str) -> None:
    # Before the article's other years: "المقبل" in a 2026 article is never 2026-01-15.
    assert _dates(text, REF, [2026]) == [expected]


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("في يناير المقبل", "2027-01"),
        ("في نونبر الماضي", "2025-11"),
        ("في أكتوبر الماضي", "2026-10"),
    ],
)
def test_a_month_with_its_year_said_in_words(text: str, month: str) -> None:
    assert [m for m, _ in find_dates(text, tokenize(text), REF).months] == [month]


def test_a_weekday_outweighs_a_year_said_in_words() -> None:
    # 29 May is a Wednesday in 2024, not in 2026: the article's own date is unknown.
    assert _dates("زوال الأربعاء 29 ماي الجاري", REF) == ["2024-05-29"]


def test_a_range_ending_next_month_takes_its_year_from_words() -> None:
    assert _dates("من 30 دجنبر إلى 2 يناير المقبل", REF) == _days("2026-12-30", "2027-01-02")


def test_weekday_picks_the_latest_matching_year_before_the_reference() -> None:
    # 15 September is a Thursday in 2022 (and 2016); not after the reference date.
    assert _dates("صباح الخميس 15 شتنبر", REF) == ["2022-09-15"]
    # A Tuesday 28 January: 2025 for a 2026 reference, 2020 for a 2024 one.
    assert _dates("الثلاثاء 28 يناير", REF) == ["2025-01-28"]
    assert _dates("الثلاثاء 28 يناير", date(2024, 6, 1)) == ["2020-01-28"]


def test_year_from_the_rest_of_the_article_first() -> None:
    assert _dates("في 13 يونيو 2022، ثم في 15 شتنبر") == ["2022-06-13", "2022-09-15"]
    assert _dates("في 4 مارس", REF, [2019]) == ["2019-03-04"]


def test_without_year_or_weekday_the_last_occurrence_not_after_reference() -> None:
    assert _dates("في 4 مارس", REF) == ["2026-03-04"]
    assert _dates("في 24 دجنبر", REF) == ["2025-12-24"]


@pytest.mark.parametrize(
    "text", ["في 3 أبريل/نيسان 2023", "في 3 أبريل (نيسان) 2023", "في 3 يناير/كانون الثاني 2023"]
)
def test_a_month_glossed_in_another_calendar_keeps_its_year(text: str) -> None:
    # Levantine and Gulf outlets write both names; the year follows the second.
    (found,) = find_dates(text, tokenize(text), REF).dates
    assert found.date.year == 2023 and found.text == text.removeprefix("في ")


def test_a_different_month_after_a_slash_is_no_gloss() -> None:
    assert _dates("في 3 أبريل/ماي 2023", date(2024, 6, 1)) == ["2024-04-03"]


def test_a_date_in_a_web_address_is_not_read() -> None:
    assert _dates("المصدر: example.com/2023/03/15/article") == []


def test_span_is_the_text_as_written() -> None:
    text = "انعقد يومي الثلاثاء و الأربعاء، 28 و 29 يناير."
    spans = {d.text for d in find_dates(text, tokenize(text), REF).dates}
    assert spans == {"الثلاثاء و الأربعاء، 28 و 29 يناير"}


def test_not_dates() -> None:
    assert _dates("كأس العالم 2030 في المغرب") == []
    assert _dates("مارس المغرب سياسة استباقية") == []
    assert _dates("الساعة 18:56:00") == []


def test_a_day_joined_by_wa_is_spanned_without_it() -> None:
    text = "يومي 28 فبراير و1 مارس 2023"
    spans = [d.text for d in find_dates(text, tokenize(text), REF).dates]
    assert spans == ["28 فبراير", "1 مارس 2023"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("انعقد الاجتماع في الـ15 من مارس 2024 بالرباط", ["2024-03-15"]),
        ("انعقد الاجتماع في ال15 من مارس 2024 بالرباط", ["2024-03-15"]),
        ("انعقد الاجتماع يومي الـ12 والـ13 من مارس 2024", ["2024-03-12", "2024-03-13"]),
        ("شارك نحو الـ30 شخصا في اجتماع مارس 2024", []),  # a count, no day
    ],
)
def test_a_day_number_written_with_the_article(text: str, expected: list[str]) -> None:
    assert _dates(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("آخر تحديث: 14 - مارس - 2024 | 18:20", ["2024-03-14"]),
        ("نشر في 14/مارس/2024", ["2024-03-14"]),
        ("الخميس 14–مارس–2024", ["2024-03-14"]),
        ("من 13 - 15 مارس 2024", ["2024-03-13", "2024-03-14", "2024-03-15"]),  # a range still
        ("12 - مارس 2024", []),  # one separator only: no such date
    ],
)
def test_a_month_set_off_from_its_day_and_year_by_separators(text: str, expected) -> None:
    assert _dates(text) == expected
