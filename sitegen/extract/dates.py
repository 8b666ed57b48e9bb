"""Calendar dates in Arabic news text, with every month-name system from CLDR.

Month and weekday names come from Babel for every Arabic locale, so Maghrebi
(شتنبر), Egyptian (سبتمبر), Algerian/Tunisian (سبتمبر/جانفي) and Levantine
(أيلول، كانون الثاني) spellings are all known without a hand-typed table.
A date without a year takes it from the article's other dates, else from the
weekday it is said to fall on, else from the reference date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache, lru_cache

from babel import Locale
from babel.localedata import locale_identifiers

from sitegen.extract.resources import load_data
from sitegen.extract.text import Token, core_variants, normalize, strip_article

_YEAR = re.compile(r"^(19|20)\d\d$")
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*((?:19|20)\d\d)(?!\d)")
_ISO = re.compile(r"(?<![\d/])((?:19|20)\d\d)([/.-])(\d{1,2})\2(\d{1,2})(?![\d/])")  # 2023/03/15
# A digit, spaces, a separator: in every match of _NUMERIC and of _ISO.
_NUMERIC_HINT = re.compile(r"\d\s*[/.-]")
_WEEKDAY_SEARCH_YEARS = 40
# The longest range whose ends name their months that is read as a stay, not a change of date.
_RANGE_ACROSS_MAX_DAYS = 21
_INDIC = re.compile(r"[\u0660-\u0669\u06f0-\u06f9]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@dataclass(frozen=True)
class FoundDate:
    """A calendar date with the text it came from and where."""

    date: date
    text: str
    start: int
    weekday_checked: bool = False


@dataclass(frozen=True)
class _Phrase:
    days: tuple[int, ...]
    month: int
    year: int | None
    weekday: int | None
    start: int  # char offsets in the text
    end: int
    continues: bool = False  # the last end of "28 فبراير إلى 2 مارس": its year follows the first's
    relative: str | None = None  # "next" or "last": "15 دجنبر المقبل", "مارس الماضي"
    year_offset: int | None = None  # from the reference year: "29 ماي الجاري", "من السنة المقبلة"


@dataclass(frozen=True)
class _Vocab:
    months: dict[tuple[str, ...], int]  # normalised words → month
    month_heads: dict[str, int]  # first word → longest month name length (words)
    weekdays: dict[str, int]
    day_words: dict[str, int]
    ordinal_days: dict[str, int]
    ordinal_units: dict[str, int]
    ordinal_tens: dict[str, int]
    ordinal_openers: frozenset[str]
    range_words: frozenset[str]
    range_openers: frozenset[str]
    list_words: frozenset[str]
    skip_words: frozenset[str]
    year_suffixes: frozenset[str]
    year_words: frozenset[str]
    year_word_openers: frozenset[str]
    month_relatives: dict[str, str]
    year_relatives: dict[str, int]
    year_demonstratives: frozenset[str]
    today_words: frozenset[str]  # with their article: bare "يوم" is "day", not "today"
    yesterday_words: frozenset[str]
    day_before_marks: frozenset[str]  # "أول أمس", "أمس الأول": the day before yesterday
    past_words: frozenset[str]
    future_words: frozenset[str]


def _arabic_locales() -> list[Locale]:
    ids = [i for i in locale_identifiers() if i == "ar" or i.startswith("ar_")]
    return [Locale.parse(i) for i in sorted(ids)]


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(strip_article(w) for w in normalize(phrase).split())


@cache
def vocab() -> _Vocab:
    """Month and weekday names of every Arabic CLDR locale, plus date words (data file)."""
    months: dict[tuple[str, ...], int] = {}
    weekdays: dict[str, int] = {}
    for locale in _arabic_locales():
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    months.setdefault(_words(name), number)
                for number, name in locale.days[context]["wide"].items():
                    weekdays.setdefault(_words(name)[0], number)
    heads: dict[str, int] = {}
    for words in months:
        heads[words[0]] = max(heads.get(words[0], 0), len(words))
    data = load_data("dates")

    def norm_set(name: str) -> frozenset[str]:
        return frozenset(strip_article(normalize(w)) for w in data[name])

    def norm_map(name: str) -> dict[str, int]:
        return {strip_article(normalize(k)): int(v) for k, v in data[name].items()}

    return _Vocab(
        months=months,
        month_heads=heads,
        weekdays=weekdays,
        day_words=norm_map("day_words"),
        ordinal_days=norm_map("ordinal_days"),
        ordinal_units=norm_map("ordinal_units"),
        ordinal_tens=norm_map("ordinal_tens"),
        ordinal_openers=norm_set("ordinal_openers"),
        range_words=norm_set("range_words"),
        range_openers=norm_set("range_openers"),
        list_words=norm_set("list_words"),
        skip_words=norm_set("skip_words"),
        year_suffixes=norm_set("year_suffixes"),
        year_words=norm_set("year_words"),
        year_word_openers=norm_set("year_word_openers"),
        month_relatives={
            strip_article(normalize(k)): v for k, v in data["month_relatives"].items()
        },
        year_relatives=norm_map("year_relatives"),
        year_demonstratives=norm_set("year_demonstratives"),
        today_words=frozenset(normalize(w) for w in data["today_words"]),
        yesterday_words=norm_set("yesterday_words"),
        day_before_marks=norm_set("day_before_marks"),
        past_words=norm_set("past_words"),
        future_words=norm_set("future_words"),
    )


@lru_cache(maxsize=65536)
def _month_heads(norm: str) -> tuple[str, ...]:
    """Readings of a word that start a month name (most words: none)."""
    heads = vocab().month_heads
    return tuple(v for v in core_variants(norm) if v in heads)


def _month_at(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """(month, number of tokens) when a month name starts at token i."""
    v = vocab()
    for head in _month_heads(tokens[i].norm):
        longest = v.month_heads[head]
        for size in range(longest, 0, -1):
            words = (head, *(strip_article(t.norm) for t in tokens[i + 1 : i + size]))
            if len(words) == size and words in v.months:
                return v.months[words], size
    return None


def _day_value(token: Token) -> tuple[int | None, bool]:
    """(day number, carries a 'و' prefix) of a token like '14', 'و14', 'الـ14' or 'فاتح'."""
    norm = token.norm
    joined = norm.startswith("و") and bool(_bare_number(norm[1:]))
    digits = _bare_number(norm[1:] if joined else norm)
    if digits and len(digits) <= 2 and 1 <= int(digits) <= 31:
        return int(digits), joined
    day = vocab().day_words.get(strip_article(norm))
    return day, False


def _bare_number(text: str) -> str:
    """The digits of '14' or 'ال14' ("في الـ15 من مارس": the article on a number), else ''."""
    digits = text[2:] if text.startswith("ال") else text
    return digits if digits.isdigit() else ""


def _weekday_of(token: Token) -> int | None:
    v = vocab()
    for variant in core_variants(token.norm):
        if variant in v.weekdays:
            return v.weekdays[variant]
    return None


def _days_before(tokens: list[Token], i: int) -> tuple[list[int], int]:
    """Day numbers ending just before token i ("13 و14", "28 و 29", "13 إلى 15", "بين 13 و15").

    Returns the days (ranges expanded) and the index of the first day token.
    """
    v = vocab()
    days: list[int] = []
    first = i
    link: str | None = None  # what joins the day found to the one before it
    j = i - 1
    while j >= 0:
        ordinal = None if days else _ordinal_ending_at(tokens, j)
        if ordinal is not None:  # "في الخامس عشر من مارس": the day nearest the month
            days, first = [ordinal[0]], ordinal[1]
            j = first - 1
            continue
        day, joined = _day_value(tokens[j])
        word = strip_article(tokens[j].norm)
        if day is not None and (not days or link):
            if link == "range" and day < days[0]:
                days = list(range(day, days[0])) + days
            else:
                days.insert(0, day)
            first, link = j, ("list" if joined else None)
        elif days and link is None and word in v.range_words:
            link = "range"
        elif days and link is None and word in v.list_words:
            link = "list"
        elif days or word not in v.skip_words:
            break
        j -= 1
    if len(days) == 2 and days[0] < days[1] and j >= 0 and _opens_range(tokens[j]):
        days = list(range(days[0], days[1] + 1))  # "ما بين 13 و15 مارس": 13, 14, 15
    return days, first


def _ordinal_ending_at(tokens: list[Token], j: int) -> tuple[int, int] | None:
    """(day, first token) of an ordinal day word ending at token j, after an opener."""
    v = vocab()
    word = strip_article(tokens[j].norm)
    unit = v.ordinal_units.get(strip_article(tokens[j - 1].norm)) if j else None
    if word in v.ordinal_tens and unit is not None:
        day, first = unit + v.ordinal_tens[word], j - 1
    elif word in v.ordinal_days:
        day, first = v.ordinal_days[word], j
    else:
        return None
    if day > 31 or not tokens[first].has_article or first == 0:
        return None
    before = tokens[first - 1]
    if strip_article(before.norm) in v.ordinal_openers or _weekday_of(before) is not None:
        return day, first
    return None


def _opens_range(token: Token) -> bool:
    """'بين' (or 'وبين') before two days joined by 'و' makes them a range, not a list."""
    return any(v in vocab().range_openers for v in core_variants(token.norm))


def _weekday_before(tokens: list[Token], first: int) -> tuple[int | None, int]:
    """The first weekday named just before the day numbers, and where the phrase starts."""
    v = vocab()
    weekday = None
    start = first
    j = first - 1
    while j >= 0 and first - j <= 6:
        token = tokens[j]
        found = _weekday_of(token)
        word = strip_article(token.norm)
        if found is not None:
            weekday, start = found, j
        elif word in v.skip_words or word in v.list_words or not token.is_word:
            pass
        else:
            break
        j -= 1
    return weekday, start


def _word(tokens: list[Token], k: int) -> str:
    return strip_article(tokens[k].norm) if k < len(tokens) else ""


def _year_word_at(tokens: list[Token], k: int) -> bool:
    return _word(tokens, k) in vocab().year_words


def _relative_after(tokens: list[Token], k: int) -> tuple[str | None, int | None, int]:
    """(relative, year offset, end index) of the year said in words after a month.

    "15 دجنبر المقبل" is the next 15 December, "29 ماي الجاري" this year's,
    "15 مارس من السنة المقبلة" next year's.
    """
    v = vocab()
    kind = v.month_relatives.get(_word(tokens, k))
    if kind is not None:
        return (None, 0, k + 1) if kind == "this" else (kind, None, k + 1)
    j = k + (_word(tokens, k) in v.year_word_openers)
    demonstrative = _word(tokens, j) in v.year_demonstratives  # "من هذا العام"
    j += demonstrative
    if not _year_word_at(tokens, j):
        return None, None, k
    offset = 0 if demonstrative else v.year_relatives.get(_word(tokens, j + 1))
    if offset is None:
        return None, None, k
    return None, offset, j + (1 if demonstrative else 2)


def _year_after(tokens: list[Token], k: int) -> tuple[int | None, int]:
    """A year right after the month (optionally 'سنة 2025', '2025م'), and the end index.

    Without a year the end is `k`: "سنة" alone is no part of the date.
    """
    v = vocab()
    j = k + (k < len(tokens) and tokens[k].text in "،,")  # "15 مارس، 2024"
    if _year_word_at(tokens, j + 1) and _word(tokens, j) in v.year_word_openers:
        j += 1  # "فاتح يناير من سنة 2023"
    if _year_word_at(tokens, j):
        j += 1
    if j < len(tokens):
        norm = tokens[j].norm
        suffix = next((x for x in v.year_suffixes if norm.endswith(x)), "")
        digits = norm[: len(norm) - len(suffix)]
        if _YEAR.match(digits):
            return int(digits), j + 1
    return None, k


_DATE_SEPARATORS = frozenset("-–/")


def _separated_date(
    tokens: list[Token], i: int, size: int
) -> tuple[list[int], int, int, int] | None:
    """([day], first token, year, end) of "14 - مارس - 2024" or "14/مارس/2024": a month
    set off from its day and year by one separator, the same on both sides."""
    before, after = i - 1, i + size
    if before < 1 or after + 1 >= len(tokens):
        return None
    mark = tokens[before].text
    if mark not in _DATE_SEPARATORS or tokens[after].text != mark:
        return None
    day, joined = _day_value(tokens[before - 1])
    if day is None or joined or not _YEAR.match(tokens[after + 1].norm):
        return None
    return [day], before - 1, int(tokens[after + 1].norm), after + 2


def _gloss_end(tokens: list[Token], k: int, number: int) -> int:
    """Past the same month in another calendar after a month ("أبريل/نيسان", "أبريل (نيسان)")."""
    mark = tokens[k].text if k < len(tokens) else ""
    if mark not in ("/", "("):
        return k
    other = _month_at(tokens, k + 1) if k + 1 < len(tokens) else None
    if other is None or other[0] != number:
        return k
    end = k + 1 + other[1]
    if mark == "/":
        return end
    return end + 1 if end < len(tokens) and tokens[end].text == ")" else k


def _phrases(tokens: list[Token]) -> list[_Phrase]:
    out: list[_Phrase] = []
    glossed = 0  # tokens before this index are a gloss already read
    previous_start = 0  # token index where the phrase before starts
    for i, token in enumerate(tokens):
        if i < glossed or not _month_heads(token.norm):  # most words start no month name
            continue
        month = _month_at(tokens, i)
        if month is None:
            continue
        number, size = month
        separated = _separated_date(tokens, i, size)
        if separated is not None:  # "14 - مارس - 2024"
            days, first, year, end = separated
            glossed = end
        else:
            days, first = _days_before(tokens, i)
            glossed = _gloss_end(tokens, i + size, number)
            year, end = _year_after(tokens, glossed)
        relative, offset = None, None
        if year is None:
            relative, offset, end = _relative_after(tokens, end)
        if not days:
            if year is not None or relative or offset is not None:  # "يناير 2025": for event dates
                span = tokens[i].start, tokens[end - 1].end
                out.append(
                    _Phrase((), number, year, None, *span, relative=relative, year_offset=offset)
                )
            continue
        weekday, start = _weekday_before(tokens, first)
        opening = tokens[start].norm  # "و2 مارس": the span starts at 2
        conjunction = int(opening[:1] == "و" and opening[1:].isdigit())
        span = tokens[start].start + conjunction, tokens[end - 1].end
        phrase = _Phrase(
            tuple(days), number, year, weekday, *span, relative=relative, year_offset=offset
        )
        if out and (
            _after_range_word(tokens, start, out[-1])
            or _after_between_and(tokens, start, out[-1], previous_start)
        ):
            out[-1], phrase = _range_across(out[-1], phrase) or (out[-1], phrase)
        out.append(phrase)
        previous_start = start
    return out


def _after_between_and(tokens: list[Token], start: int, previous: _Phrase, first: int) -> bool:
    """ "ما بين 28 فبراير و2 مارس": two dates joined by "و" after "بين" are a range."""
    if first < 1 or not _opens_range(tokens[first - 1]):
        return False
    if tokens[start].norm.startswith("و") and tokens[start - 1].end == previous.end:
        return True  # "و2 مارس", "والأحد 2 مارس"
    link = strip_article(tokens[start - 1].norm) if start > 1 else ""
    return link in vocab().list_words and tokens[start - 2].end == previous.end


def _after_range_word(tokens: list[Token], start: int, previous: _Phrase) -> bool:
    """True when range words ("إلى", "إلى غاية", "-") alone part token `start` from `previous`."""
    range_words = vocab().range_words
    j = start - 1
    while j >= 0 and start - j <= 2 and strip_article(tokens[j].norm) in range_words:
        j -= 1
    return j < start - 1 and j >= 0 and tokens[j].end == previous.end


def _range_across(first: _Phrase, last: _Phrase) -> tuple[_Phrase, _Phrase] | None:
    """Both ends of "من 28 فبراير إلى 2 مارس" (or "من 13 مارس إلى 15 مارس"), every day given.

    Only within _RANGE_ACROSS_MAX_DAYS: a longer span is rather a change of date
    ("أجل الاجتماع من 3 مارس إلى 5 أبريل").
    """
    wraps = int(first.month == 12 and last.month == 1)
    if not first.days or last.month not in (first.month, first.month % 12 + 1):
        return None
    if first.year is not None and last.year is not None and first.year + wraps != last.year:
        return None
    end_day, start_day = first.days[-1], last.days[0]
    span = start_day - end_day if last.month == first.month else start_day + 31 - end_day
    if not 0 < span <= _RANGE_ACROSS_MAX_DAYS:
        return None
    if last.month == first.month:
        first_days, last_days = (*first.days, *range(end_day + 1, start_day)), last.days
    else:  # days past the month's end (31 April) are dropped as no date
        first_days, last_days = (
            (*first.days, *range(end_day + 1, 32)),
            (*range(1, start_day), *last.days),
        )
    return (
        replace(first, days=first_days, end=last.end),
        replace(last, days=last_days, start=first.start, continues=True),
    )


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_by_weekday(month: int, day: int, weekday: int, reference: date) -> int | None:
    """Latest year, the date not after `reference`, in which (month, day) is `weekday`."""
    for year in range(reference.year, reference.year - _WEEKDAY_SEARCH_YEARS, -1):
        found = _valid(year, month, day)
        if found and found <= reference and found.weekday() == weekday:
            return year
    return None


def _infer_year(phrase: _Phrase, article_years: list[int], reference: date) -> int | None:
    day = phrase.days[0]
    candidates = [
        y for y in article_years if (d := _valid(y, phrase.month, day)) and d <= reference
    ]
    if phrase.weekday is not None:
        for year in candidates:
            if date(year, phrase.month, day).weekday() == phrase.weekday:
                return year
        return _year_by_weekday(phrase.month, day, phrase.weekday, reference)
    if candidates:
        return candidates[0]
    this_year = _valid(reference.year, phrase.month, day)
    return reference.year if this_year and this_year <= reference else reference.year - 1


def _year_of(
    phrases: list[_Phrase],
    index: int,
    resolved: list[int | None],
    years: list[int],
    reference: date,
) -> int | None:
    """The phrase's year: stated or said, else that of the range's other end, else inferred."""
    phrase = phrases[index]
    own = _own_year(phrase, reference)
    if own is not None:
        return own
    if phrase.continues:  # "من 28 دجنبر 2022 إلى 2 يناير": the year after the first end's
        before, year = phrases[index - 1], resolved[index - 1]
        return None if year is None else year + int(phrase.month < before.month)
    after = phrases[index + 1] if index + 1 < len(phrases) else None
    if after is not None and after.continues and (year := _own_year(after, reference)):
        return year - int(after.month < phrase.month)  # "من 28 دجنبر إلى 2 يناير 2023"
    return _infer_year(phrase, years, reference) if phrase.days else None


def _own_year(phrase: _Phrase, reference: date) -> int | None:
    """The year stated, or said in words and not belied by the weekday given."""
    if phrase.year is not None:
        return phrase.year
    if phrase.year_offset is not None:
        year = reference.year + phrase.year_offset
    elif phrase.relative is not None:
        year = _next_or_last_year(phrase, reference)
    else:
        return None
    if phrase.weekday is not None and phrase.days:
        said = _valid(year, phrase.month, phrase.days[0])
        if said is None or said.weekday() != phrase.weekday:
            return None  # "الأربعاء 29 ماي الجاري" in an article of unknown date: trust the weekday
    return year


def _next_or_last_year(phrase: _Phrase, reference: date) -> int:
    """The year of the next ("المقبل") or the last ("الماضي") such day or month."""
    if phrase.days:
        when, now = (phrase.month, phrase.days[0]), (reference.month, reference.day)
    else:
        when, now = (phrase.month, 0), (reference.month, 0)
    if phrase.relative == "next":
        return reference.year + int(when <= now)
    return reference.year - int(when >= now)


def _numeric(text: str) -> list[FoundDate]:
    out: list[FoundDate] = []
    if not _NUMERIC_HINT.search(text):  # what both patterns need: quick to rule out
        return out
    for match in _NUMERIC.finditer(text):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
        if found := _valid(year, month, day):
            out.append(FoundDate(found, match[0], match.start()))
    for match in _ISO.finditer(text):
        if found := _valid(int(match[1]), int(match[3]), int(match[4])):
            out.append(FoundDate(found, match[0], match.start()))
    return out


@dataclass(frozen=True)
class DateScan:
    """The dates of a text and its month-only mentions ("يناير 2025")."""

    dates: list[FoundDate]
    months: list[tuple[str, int]]  # ("2025-01", char offset)


def find_dates(
    text: str, tokens: list[Token], reference: date, article_years: list[int] | None = None
) -> DateScan:
    """Every calendar date in `text` (already tokenised), in text order.

    `article_years` are years stated elsewhere in the article, tried first for
    a date given without one.
    """
    phrases = _phrases(tokens)
    years = list(article_years or []) + [p.year for p in phrases if p.year and p.days]
    years = list(dict.fromkeys(years))
    found: list[FoundDate] = []
    months: list[tuple[str, int]] = []
    resolved: list[int | None] = []
    for index, phrase in enumerate(phrases):
        year = _year_of(phrases, index, resolved, years, reference)
        resolved.append(year)
        if year is None:
            continue
        if not phrase.days:
            months.append((f"{year:04d}-{phrase.month:02d}", phrase.start))
            continue
        span = text[phrase.start : phrase.end]
        for day in phrase.days:
            if found_date := _valid(year, phrase.month, day):
                found.append(FoundDate(found_date, span, phrase.start, phrase.weekday is not None))
    found.extend(_numeric(text.translate(_DIGITS) if _INDIC.search(text) else text))
    found.sort(key=lambda f: (f.start, f.date))
    return DateScan(found, months)


def relative_date(tokens: list[Token], published: date | None) -> date | None:
    """'اليوم'/'أمس' or a weekday alone in a lead resolved against the publication date."""
    if published is None:
        return None
    v = vocab()
    for i, token in enumerate(tokens):
        word = strip_article(token.norm)
        if token.norm in v.today_words:
            return published
        if word in v.yesterday_words:
            near = {_word(tokens, i - 1) if i else "", _word(tokens, i + 1)}
            return published - timedelta(days=2 if near & v.day_before_marks else 1)
    return _weekday_date(tokens, published)


def _weekday_date(tokens: list[Token], published: date) -> date | None:
    """ "أجرى … يوم الثلاثاء …" in an article of Wednesday: the day before.

    The last such weekday on or before the publication date, or the next one after
    it with "المقبل" or in a sentence about what is to come ("سيحل الوفد يوم الخميس").
    "أحد" alone is "one", so the weekday has its article or "يوم".
    """
    v = vocab()
    coming = any(w in v.future_words for t in tokens for w in core_variants(t.norm))
    for i, token in enumerate(tokens):
        weekday = _weekday_of(token) if token.is_word else None
        if weekday is None:
            continue
        if not token.has_article and not (i and _word(tokens, i - 1) == "يوم"):
            continue
        if coming or v.month_relatives.get(_word(tokens, i + 1)) == "next":
            return published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
        return published - timedelta(days=(published.weekday() - weekday) % 7)
    return None


def mentions_past(tokens: list[Token]) -> bool:
    """True when a sentence marks its event as earlier ('سبق أن', 'الماضي')."""
    v = vocab()
    return any(strip_article(t.norm) in v.past_words for t in tokens)
