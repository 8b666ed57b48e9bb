"""Arabic normalisation and tokenisation through camel-tools.

Names are matched on a normalised form so that spelling variants found in the
press ("إسبانيا"/"اسبانيا", "الحموشي"/"حموشي", "بالرباط"/"الرباط") meet the
registry. An article is normalised once: tokens keep their character offsets
in the original text so a match can be reported as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sitegen.extract.camel import (
    dediac_ar,
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
    simple_word_tokenize,
)

__all__ = [
    "Token",
    "core_variants",
    "key",
    "lam_variants",
    "normalize",
    "phrase_key",
    "simple_word_tokenize",
    "strip_article",
    "tokenize",
    "unicode_normalize",
    "word_tokenize",
]

_TATWEEL = "\u0640"
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


def _latin_folding() -> dict[int, str]:
    """Accented Latin letters → plain ones ("Sánchez" matches "Sanchez")."""
    table = {}
    for code in range(0x00C0, 0x0250):
        base = unicodedata.normalize("NFKD", chr(code)).encode("ascii", "ignore").decode()
        if base:
            table[code] = base
    return table


_NEEDS_FOLD = re.compile(r"[\u00c0-\u024f\u0660-\u0669\u06f0-\u06f9]")
_FOLD = {**str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"), **_latin_folding()}

# Proclitic prefixes a name can carry: conjunction (و ف), preposition (ب ل ك),
# then the article (ال); "لل" is ل + ال with the alef dropped. Longest first.
_CONJ = ("و", "ف", "")
_PREP = ("ب", "ل", "ك", "")
_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {c + p + a for c in _CONJ for p in _PREP for a in ("ال", "") if p + a != "لال"}
        | {c + "لل" for c in _CONJ},
        key=len,
        reverse=True,
    )[:-1]  # drop the empty prefix
)
_MIN_CORE = 2


# The two characters camel-tools' normalize_unicode maps before NFKC; without
# them its result is exactly NFKC, which skips its per-character Python loop.
_CAMEL_FIXED = ("\ufdfc", "\ufdfd")


def unicode_normalize(text: str) -> str:
    """camel-tools' normalize_unicode (NFKC + ligature fixes), fast when no ligature occurs."""
    if any(char in text for char in _CAMEL_FIXED):
        return normalize_unicode(text)
    return unicodedata.normalize("NFKC", text)


def normalize(text: str) -> str:
    """Canonical form for matching: Unicode, diacritics, alef/yaa/teh marbuta, digits."""
    return normalize_prepared(unicode_normalize(text))


def normalize_prepared(text: str) -> str:
    """`normalize` for text already through `unicode_normalize` (one pass per article)."""
    text = fold_arabic_letters(text)
    if _NEEDS_FOLD.search(text):
        text = text.translate(_FOLD)
    return text.lower()


def fold_arabic_letters(text: str) -> str:
    """The Arabic folds of `normalize` alone (no case, no digits): safe on a regex."""
    text = dediac_ar(text).replace(_TATWEEL, "")
    return normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(text)))


def strip_article(word: str) -> str:
    """A normalised word without its article, the form registry keys use."""
    if word.startswith("ال") and len(word) - 2 >= _MIN_CORE:
        return word[2:]
    return word


def _cores(word: str) -> list[str]:
    """The word and what is left of it after each proclitic prefix, articles kept."""
    out = [word]
    if not _ARABIC_LETTER.match(word):
        return out
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_CORE:
            core = word[len(prefix) :]
            if prefix.endswith("لل") and core.startswith("ل"):
                continue
            out.append(core)
    return out


@lru_cache(maxsize=65536)
def core_variants(word: str) -> tuple[str, ...]:
    """Every reading of a normalised word with its proclitics removed.

    "وبالرباط" may be و+ب+ال+رباط; "ليبيا" may be ل+يبيا. Both readings are
    kept: the registry decides which core is a known name.
    """
    return tuple(dict.fromkeys(strip_article(core) for core in _cores(word)))


@lru_cache(maxsize=65536)
def lam_variants(word: str) -> tuple[str, ...]:
    """The readings of a normalised word whose "ال" may be the name's own letters.

    Normalisation writes "ألباريس" (Albares) as "الباريس"; `phrase_key` keeps
    such a name's lam, so these readings, article kept, can meet it.
    """
    return tuple(dict.fromkeys(core for core in _cores(word) if core.startswith("ال")))


def key(word: str) -> str:
    """Registry key of one word as printed in a registry (no proclitics but ال)."""
    return strip_article(normalize(word))


# The article is written with a bare alef: a word written so begins with its own lam.
_HAMZA_LAM = ("أل", "إل", "آل")


def _lam_is_its_own(written: str) -> bool:
    """True for a word written "أل…", "إل…" or "آل…": normalised, it looks definite."""
    return dediac_ar(written).startswith(_HAMZA_LAM)


def phrase_key(phrase: str) -> tuple[str, ...]:
    """Registry key of a name or cue phrase: normalised words, articles dropped.

    A word written with a hamza before its lam keeps the lam: "ألباريس" is
    Albares, not the article and "باريس" (Paris).
    """
    plain = dediac_ar(unicode_normalize(phrase)).replace(_TATWEEL, "")
    out = []
    for written in simple_word_tokenize(plain):
        norm = normalize_prepared(written)
        if norm.isalnum() or _ARABIC_LETTER.match(norm):
            out.append(norm if _lam_is_its_own(written) else strip_article(norm))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the article: as written, normalised, and where it sits."""

    text: str
    norm: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.norm.isalnum()

    @property
    def has_article(self) -> bool:
        """Begins with "ال": "ألبرتو" (Alberto) normalises so, but its lam is its own."""
        return self.norm.startswith("ال") and not _lam_is_its_own(self.text)


# Arabic letters and marks, Latin letters, ASCII digits: never punctuation,
# symbols or emoji in camel-tools' sense (a lone digit is an emoji base only).
_PLAIN_WORD = re.compile(r"[\u0621-\u065f\u0670-\u06d3A-Za-z\u00c0-\u024f0-9]+")


def word_tokenize(text: str) -> list[str]:
    """camel-tools' simple_word_tokenize, with a fast path for plain words.

    simple_word_tokenize works word by word (whitespace split) and only splits
    a word at punctuation, symbols and emoji; a word of letters and digits
    alone is returned whole. Such words skip its per-character loop; every
    other word is handed to it, so the tokens are the same.
    """
    tokens: list[str] = []
    for word in text.split():
        if _PLAIN_WORD.fullmatch(word):
            tokens.append(word)
        else:
            tokens.extend(simple_word_tokenize(word))
    return tokens


# word (whitespace-free) -> its tokens as (text, norm, start in word, end in word)
_WORD_TOKENS: dict[str, tuple[tuple[str, str, int, int], ...]] = {}
_WORD_TOKENS_MAX = 200_000
_new_token = object.__new__
_SET_TEXT, _SET_NORM, _SET_START, _SET_END = (
    Token.__dict__[name].__set__ for name in ("text", "norm", "start", "end")
)


def _word_tokens(word: str) -> tuple[tuple[str, str, int, int], ...]:
    """`word_tokenize` of one whitespace-free word, each token normalised, with offsets.

    Every step is local to the word: simple_word_tokenize splits a word into
    consecutive pieces, and normalisation maps characters one by one (a
    token's lower-casing cannot see past the word), so the result is cached.
    """
    pieces = [word] if _PLAIN_WORD.fullmatch(word) else simple_word_tokenize(word)
    out = []
    offset = 0
    for piece in pieces:
        start = word.find(piece, offset)
        if start < 0:  # never: the pieces are consecutive parts of the word
            start = offset
        offset = start + len(piece)
        out.append((piece, normalize_prepared(piece), start, offset))
    return tuple(out)


def tokenize(text: str) -> list[Token]:
    """Tokens of `text` (already `normalize_unicode`d) with offsets, normalised.

    Words repeat across articles, so each distinct word is split and
    normalised once (cached); only the offsets are computed per article.
    """
    cache = _WORD_TOKENS
    if len(cache) > _WORD_TOKENS_MAX:
        cache.clear()
    tokens: list[Token] = []
    append = tokens.append
    find = text.find
    pos = 0
    for word in text.split():
        pieces = cache.get(word)
        if pieces is None:
            pieces = cache[word] = _word_tokens(word)
        base = find(word, pos)
        pos = base + len(word)
        for piece, norm, start, end in pieces:
            token = _new_token(Token)
            _SET_TEXT(token, piece)
            _SET_NORM(token, norm)
            _SET_START(token, base + start)
            _SET_END(token, base + end)
            append(token)
    return tokens
