"""Raw scraped page → headline, outlet, author, date lines and a clean body.

Scraped pages wrap the article in furniture: share bars, comment notices,
"related articles" lists, app-store links, the headline repeated, outlet and
byline lines. What counts as furniture is data (`data/furniture.yaml`); this
module knows the *shapes* of page headers: "<headline> – <outlet>",
"<outlet> – <author>", "<outlet>:<author>", a date line with a clock time.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from sitegen.extract.dates import vocab
from sitegen.extract.resources import load_data
from sitegen.extract.text import (
    fold_arabic_letters,
    normalize_prepared,
    strip_article,
    unicode_normalize,
)

_SPACE = r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]"
_NON_PLAIN_SPACE = r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]"
# Runs of spaces become one plain space. Only the runs that are not already
# one plain space are matched: the same text, not rebuilt at every space.
_SPACES = re.compile(f"{_SPACE}{{2,}}|{_NON_PLAIN_SPACE}")
_ODD_SPACE = re.compile(_NON_PLAIN_SPACE)
_BIDI = re.compile(r"[\u200c-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_ARABIC = re.compile(r"[\u0621-\u064a]")
_LINE_TAG = re.compile(r"</?(?:br|p|div|li|h[1-6]|tr)\b[^<>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_DASH_SPLIT = re.compile(r"\s+[-–—|]\s+|\s*[–—|]\s*")
_COLON_SPLIT = re.compile(r"\s*:\s*")
# Separators of a navigation bar or breadcrumb trail ("الرئيسية | سياسة | مجتمع",
# "الرئيسية » أخبار وطنية » أمن").
_MENU_SPLIT = re.compile(r"\s*[|»«›‹•·>]\s*")
_TRAILING_PUNCT = frozenset(".:،,؛;!؟?…-–—")  # and whitespace
_SENTENCE_END = re.compile(r"[.!؟?…]$")
_INDIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_HAS_INDIC_DIGIT = re.compile("[٠-٩]")

# Shapes of header lines, in words.
TITLE_MAX_WORDS = 35
NAME_MAX_WORDS = 4
MENU_MIN_ITEMS = 3
MENU_ITEM_MAX_WORDS = 3
BODY_MIN_WORDS = 25
DATE_LINE_MAX_CHARS = 100


@dataclass
class Page:
    """What cleaning found: header facts, date lines, body paragraphs."""

    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    meta_lines: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    dateline: str = ""  # where the first paragraph opens with one: "الرباط - 20 ماي 2024 (ومع) - "

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class _Rules:
    end_markers: frozenset[str]
    prefixes: tuple[str, ...]
    exact: frozenset[str]
    short_words: frozenset[str]
    short_max: int
    patterns: re.Pattern  # all of line_patterns in one: one search per line
    bylines: tuple[str, ...]
    date_labels: tuple[str, ...]
    date_words: frozenset[str]  # calendar words, normalised as date-line words are
    not_authors: frozenset[str]


@lru_cache(maxsize=65536)
def line_key(line: str) -> str:
    """A line's comparison form (of prepared text): normalised, no trailing punctuation."""
    return _drop_trailing_punct(_collapse_spaces(normalize_prepared(line))).strip()


def _collapse_spaces(text: str) -> str:
    """Runs of spaces as one plain space; most text has none to change, found by quick scans."""
    if "  " in text or _ODD_SPACE.search(text):
        return _SPACES.sub(" ", text)
    return text


def _drop_trailing_punct(text: str) -> str:
    """`text` without its trailing run of spaces and punctuation.

    The same as `re.sub(r"[\\s.:،,؛;!؟?…\\-–—]+$", "", text)` (`\\s` is `str.isspace`),
    looking only at the end of the line instead of trying at every space.
    """
    end = len(text)
    while end and (text[end - 1] in _TRAILING_PUNCT or text[end - 1].isspace()):
        end -= 1
    return text[:end]


@cache
def _rules() -> _Rules:
    data = load_data("furniture")
    return _Rules(
        end_markers=frozenset(line_key(unicode_normalize(m)) for m in data["end_markers"]),
        prefixes=tuple(line_key(unicode_normalize(p)) for p in data["line_prefixes"]),
        exact=frozenset(line_key(unicode_normalize(p)) for p in data["line_exact"]),
        short_words=frozenset(line_key(unicode_normalize(w)) for w in data["short_line_words"]),
        short_max=int(data["short_line_max_words"]),
        # written as printed, matched on normalised lines: "صورة" is "صوره" there
        patterns=re.compile(
            "|".join(
                f"(?:{fold_arabic_letters(unicode_normalize(p))})" for p in data["line_patterns"]
            ),
            re.IGNORECASE,
        ),
        bylines=tuple(line_key(unicode_normalize(b)) for b in data["byline_prefixes"]),
        date_labels=tuple(line_key(unicode_normalize(b)) for b in data["date_labels"]),
        date_words=frozenset(
            strip_article(normalize_prepared(unicode_normalize(w))) for w in data["date_line_words"]
        ),
        not_authors=frozenset(line_key(unicode_normalize(w)) for w in data["not_authors"]),
    )


def prepare(raw: str) -> str:
    """Unicode-normalised text with plain spaces and Unix newlines.

    What a scrape kept of the page's HTML goes too: tags ("<br>" and block tags end a
    line) and character references ("&nbsp;", "&quot;").
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "<" in text:
        text = _TAG.sub("", _LINE_TAG.sub("\n", text))
    if "&" in text:
        text = html.unescape(text)
    return _BIDI.sub("", unicode_normalize(text))


def _lines(text: str) -> list[str]:
    # _SPACES never matches a newline: one pass over the whole text.
    return [line for line in (raw.strip() for raw in _collapse_spaces(text).split("\n")) if line]


def _is_end_marker(key: str) -> bool:
    head = key.split(":", 1)[0].strip()
    return key in _rules().end_markers or (key.endswith(":") and head in _rules().end_markers)


def is_furniture(line: str) -> bool:
    """True for share bars, comment notices, prompts, photo credits, non-Arabic runs."""
    if not _ARABIC.search(line):
        return True
    rules = _rules()
    key = line_key(line)
    if key in rules.exact or key.startswith(rules.prefixes):
        return True
    words = key.split()
    if len(words) <= rules.short_max and any(w.strip("،,:.") in rules.short_words for w in words):
        return True
    return rules.patterns.search(key) is not None


def is_menu(line: str) -> bool:
    """A navigation bar or breadcrumb trail of the page's header.

    Known labels only ("الرئيسية | سياسة"); a trail of labels ending at the
    headline ("الرئيسية » أمن » <headline>"); or several short items, the
    section bar of an outlet no one listed. Two items with one of them a
    phrase stay: "عاجل | <headline>" is a headline.
    """
    items = [item for item in _MENU_SPLIT.split(line) if item]
    if len(items) < 2:
        return False
    labels = _rules().exact
    leading_labels = all(line_key(item) in labels for item in items[:-1])
    if leading_labels and (len(items) >= MENU_MIN_ITEMS or line_key(items[-1]) in labels):
        return True
    return len(items) >= MENU_MIN_ITEMS and all(
        _word_count(item) <= MENU_ITEM_MAX_WORDS and not _SENTENCE_END.search(item)
        for item in items
    )


def _is_meta_line(line: str) -> bool:
    """A page date line: a clock time, or several "/"-separated short fields."""
    if ":" in line and _CLOCK.search(line) and len(line.split()) <= 20:
        return True
    if _is_date_text(line) or _is_labelled_date(line):
        return True
    return line.count(" / ") >= 2 and len(line.split()) <= 20


def _is_labelled_date(line: str) -> bool:
    """A date after a label: "نشر بتاريخ 15 نونبر 2024", "تاريخ النشر: 05/02/2024"."""
    if len(line) > DATE_LINE_MAX_CHARS:
        return False
    words = _after_label(line, _rules().date_labels)
    return bool(words) and _is_date_text(" ".join(words))


def _after_label(line: str, labels: tuple[str, ...]) -> list[str] | None:
    """The words after the label that begins the line ("بقلم: فلان" → فلان), or None."""
    key = line_key(line)
    if not key.startswith(labels):  # most lines: one test for all the labels
        return None
    for label in labels:
        if key.startswith(label) and key[len(label) : len(label) + 1] in (" ", ":"):
            rest = line.split()[len(label.split()) :]
            if rest and rest[0].startswith(":"):  # "تحرير : فلان"
                rest = [rest[0][1:], *rest[1:]] if len(rest[0]) > 1 else rest[1:]
            return rest
    return None


def _split_pair(line: str) -> tuple[str, str] | None:
    """Split "<left> – <right>" (or ':' between two short parts) into its two sides."""
    parts = [p.strip() for p in _DASH_SPLIT.split(line) if p.strip()]
    if len(parts) == 2:
        return parts[0], parts[1]
    parts = [p.strip() for p in _COLON_SPLIT.split(line, maxsplit=1) if p.strip()]
    if len(parts) == 2 and all(len(p.split()) <= NAME_MAX_WORDS for p in parts):
        return parts[0], parts[1]
    return None


def _word_count(text: str) -> int:
    return len(text.split())


def _is_body_line(line: str) -> bool:
    words = _word_count(line)
    return words >= BODY_MIN_WORDS or (words >= 12 and bool(_SENTENCE_END.search(line)))


_YEAR_IN_TEXT = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_LETTERS = re.compile(r"[^\W\d_]+")
_NUMERIC_DATE = re.compile(
    r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}(?:[\sT|,،-]+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_DATE_TEXT = re.compile(
    r"^\W*(?:[^\W\d]+\s*[،,]?\s*)?"  # optional weekday
    r"\d{1,2}\s*(?:[/.-]\s*\d{1,2}\s*[/.-]|\s[^\W\d]+(?:\s[^\W\d]+)?\s)\s*\d{4}"
    r"(?:\s*[-–|،,]?\s*\d{1,2}:\d{2}(?::\d{2})?)?\W*$"  # optional clock time
)


def _is_date_text(text: str) -> bool:
    """Text that is only a date ("5 يناير 2015", "05/01/2015", "2015-01-05").

    Also with other calendar words around it: "الأحد 10 مارس 2024 | 29 شعبان 1445",
    "الأحد، 10 مارس، 2024", "10 مارس 2024 الموافق 29 شعبان 1445 هـ".
    """
    if _HAS_INDIC_DIGIT.search(text):
        text = text.translate(_INDIC_DIGITS)
    if _DATE_TEXT.match(text):
        return True
    if len(text) > DATE_LINE_MAX_CHARS or not _YEAR_IN_TEXT.search(text):
        return False
    words = [strip_article(normalize_prepared(w)) for w in _LETTERS.findall(text)]
    if not words:
        return bool(_NUMERIC_DATE.fullmatch(text.strip()))
    known = _date_words()
    return all(w in known for w in words) and any(w in _month_words() for w in words)


@cache
def _month_words() -> frozenset[str]:
    return frozenset(w for name in vocab().months for w in name)


@cache
def _date_words() -> frozenset[str]:
    """Words a page's date line is made of: month and weekday names, calendar words."""
    return _month_words() | frozenset(vocab().weekdays) | _rules().date_words


def _headline_shaped(line: str) -> bool:
    """Short enough, no sentence end, not a label ending in ':'."""
    return (
        not _is_body_line(line)
        and not line.endswith(":")
        and _word_count(line) <= TITLE_MAX_WORDS
        and not _SENTENCE_END.search(line)
    )


@dataclass
class _Header:
    page: Page
    outlet_names: frozenset[str]
    repeated: str | None = None  # key of a headline the page prints more than once
    place_names: frozenset[str] = frozenset()

    def take(self, line: str) -> bool:
        """Consume a header line (title, outlet, byline); False if it is body."""
        if self.take_byline(line):
            return True
        if self._take_outlet_beside_headline(line):
            return True
        pair = _split_pair(line)
        if pair and self._take_pair(*pair):
            return True
        key = line_key(line)
        if self.page.outlet is None and (
            key in self.outlet_names or self._before_repeated_title(line, key)
        ):
            self.page.outlet = line
            return True
        if self.page.title is None and _headline_shaped(line):
            self.page.title = line
            return True
        return False

    def take_byline(self, line: str) -> bool:
        """A byline, and its author if it names one; False for other lines."""
        is_byline, author = _byline(line)
        if is_byline:
            self.page.author = self.page.author or author
        return is_byline

    def _take_outlet_beside_headline(self, line: str) -> bool:
        """A known outlet at either end of the headline, after or before a separator
        ("المغرب - إسبانيا: تعاون أمني - هسبريس", "هسبريس | <headline>")."""
        separators = list(_DASH_SPLIT.finditer(line))
        if self.page.outlet is not None or self.page.title is not None or not separators:
            return False
        first, last = separators[0], separators[-1]
        for name, headline in (
            (line[last.end() :], line[: last.start()]),
            (line[: first.start()], line[first.end() :]),
        ):
            headline = headline.strip()  # longer than a name: "هسبريس - يوسف لخضر" is a byline
            if (
                _word_count(name) <= NAME_MAX_WORDS
                and line_key(name) in self.outlet_names
                and _word_count(headline) > NAME_MAX_WORDS
                and _headline_shaped(headline)
            ):
                self.page.outlet, self.page.title = name.strip(), headline
                return True
        return False

    def _before_repeated_title(self, line: str, key: str) -> bool:
        """A short line above a headline printed twice is the outlet's name."""
        return (
            self.repeated is not None
            and self.page.title is None
            and key != self.repeated
            and _word_count(line) <= NAME_MAX_WORDS - 1
            and not _SENTENCE_END.search(line)
        )

    def _take_pair(self, left: str, right: str) -> bool:
        page = self.page
        if line_key(left) in _rules().exact:  # "عاجل | <headline>": a badge, not an outlet
            if page.title is None and _headline_shaped(right):
                page.title = right
                return True
            return False
        if page.outlet is None and _is_date_text(right) and not _is_date_text(left):
            page.outlet = left  # "<outlet> – 5 يناير 2015"
            page.meta_lines.append(right)
            return True
        if page.outlet is not None or _word_count(right) > NAME_MAX_WORDS:
            return False
        headline = _word_count(left) >= NAME_MAX_WORDS or line_key(left) == self.repeated
        if headline:  # "<headline> – <outlet>"
            if page.title is None and _word_count(left) <= TITLE_MAX_WORDS:
                page.title, page.outlet = left, right
                return True
            return False
        if line_key(right) in self.outlet_names and line_key(left) not in self.outlet_names:
            page.title = page.title or left
            page.outlet = right
            return True
        if line_key(left) in self.place_names:  # "الرباط: فلان", a dateline and the byline
            page.author = page.author or _author(right)
            return True
        page.outlet, page.author = left, _author(right)  # "<outlet> – <author>"
        return True


def _byline(line: str) -> tuple[bool, str | None]:
    """Whether the line is a byline ("بقلم: فلان", "إعداد فلان", "بقلم: فلان | <date>"),
    and the name as written: None for the words that name no one ("إعداد: هيئة التحرير")."""
    if line_key(line) in _rules().not_authors:  # "متابعة", "وكالات" on a line of their own
        return True, None
    words = _after_label(line, _rules().bylines)
    if not words:
        return False, None
    name = _DASH_SPLIT.split(" ".join(words), maxsplit=1)[0].strip()
    if not name or _word_count(name) > NAME_MAX_WORDS or _SENTENCE_END.search(name):
        return False, None
    return True, _author(name)


def _author(name: str) -> str | None:
    """A byline's name, or None for the words that stand for none ("متابعة", "هيئة التحرير")
    and for a section label ("Le360 | الأخبار": the outlet and its section)."""
    key, rules = line_key(name), _rules()
    if key in rules.not_authors or key in rules.exact or strip_article(key) in rules.exact:
        return None
    return name


def _repeated_headline(lines: list[str], window: int = 12) -> str | None:
    """Key of the first headline-shaped line printed twice near the top."""
    counts: dict[str, int] = {}
    for line in lines[:window]:
        if _word_count(line) <= TITLE_MAX_WORDS and not _is_body_line(line):
            key = line_key(line)
            counts[key] = counts.get(key, 0) + 1
    return next((key for key, n in counts.items() if n > 1), None)


def clean(
    raw: str, outlet_names: frozenset[str] = frozenset(), place_names: frozenset[str] = frozenset()
) -> Page:
    """Split a raw page into header facts and a clean body.

    `outlet_names` are normalised names of known outlets: a short header line
    that is one of them is the outlet, not the headline. `place_names` are those of
    known places: "<place>: <author>" is a dateline and a byline, not an outlet.
    """
    page = Page()
    lines = _lines(prepare(raw))
    header = _Header(page, outlet_names, _repeated_headline(lines), place_names)
    in_header = True
    seen: set[str] = set()
    for line in lines:
        key = line_key(line)
        if _is_end_marker(key):
            if in_header:  # a header's "آخر الأخبار" is a menu label: the article is below
                continue
            break
        if _is_meta_line(line):
            page.meta_lines.append(line)
            if in_header:  # "بقلم: فلان | 05/02/2024 على الساعة 10:15"
                header.take_byline(line)
            continue
        if is_furniture(line) or key in seen or (in_header and is_menu(line)):
            continue
        seen.add(key)
        if in_header and header.take(line):
            seen.add(line_key(page.title or ""))
            continue
        if page.title and key == line_key(page.title):
            continue
        in_header = in_header and not _is_body_line(line)
        page.paragraphs.append(line)
    if page.paragraphs:
        page.dateline = _dateline(page.paragraphs[0], place_names)
        if _DIGIT.search(page.dateline):
            page.meta_lines.append(page.dateline)  # after the header's own date lines
    return page


_DATELINE_SEPARATOR = r"\s*[-–—ـ:]\s*"
_DATELINE_PLACE = re.compile(
    rf"(?P<place>[^\s:()«»]+(?: [^\s:()«»]+)?)(?:{_DATELINE_SEPARATOR}|\s+(?=[(«]))"
)
# After the place: a date, an agency in brackets or an outlet in quotes, or both, then
# a separator ("الرباط - 20 ماي 2024 (ومع) - ", "الرباط ـ «القدس العربي»: ").
_DATELINE_REST = re.compile(
    r"(?P<date>[^()«»:\-–—ـ]{4,40}?)?\s*(?:\([^()]{1,24}\)|«[^«»]{1,40}»)"
    + _DATELINE_SEPARATOR
    + r"|(?P<only_date>[^()«»:\-–—ـ]{4,40}?)"
    + _DATELINE_SEPARATOR
)
_DIGIT = re.compile(r"\d")


def _dateline(paragraph: str, place_names: frozenset[str]) -> str:
    """The dateline the article opens with, as written, or "".

    A known place and a separator ("الرباط - "), with what wire copy puts after it: a
    date, the agency or the outlet ("الرباط - 20 ماي 2024 (ومع) - ").
    """
    head = _DATELINE_PLACE.match(paragraph)
    if head is None or line_key(head["place"]) not in place_names:
        return ""
    rest = _DATELINE_REST.match(paragraph, head.end())
    if rest is None:
        return paragraph[: head.end()]
    date_text = rest["date"] or rest["only_date"]
    if date_text and not _is_date_text(date_text.strip()):
        return paragraph[: head.end()]
    return paragraph[: rest.end()]
