"""Text as the search index sees it, built on the extractor's own normaliser.

Pagefind does not know Arabic proclitics or spelling variants: "حموشي" does
not find "الحموشي" or "وحموشي", "الكتب" does not find "والكتب". So each
indexed word is replaced by every reading the extractor gives it
(`core_variants`: with its proclitics removed), and a reader's query word is
reduced to its registry key (`key`: normalised, article dropped). A bare word
is always among the readings of any prefixed form of it, which is exactly how
the extractor matches names against the registry.

Normalising is memoised per word as written: a site's vocabulary is small
next to its token count, so each distinct spelling goes through camel-tools
once per process. `index_terms` is what a record hands Pagefind: each indexed
word once. Word positions mean nothing once a word stands for all its
readings, results show the original excerpt rather than the indexed text,
and Pagefind's time and memory grow with every word it is fed.

The browser must reduce queries the same way: `browser_rules` describes the
normaliser as data (a character map computed by running the Python code over
the Arabic and Latin blocks, and the article rule probed from `strip_article`)
so the small JavaScript port in `search.js` cannot drift from it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from sitegen.extract.text import core_variants, key, normalize, simple_word_tokenize, strip_article

__all__ = ["browser_rules", "index_terms", "index_text", "query_text"]

# Code points whose normal form the browser needs: Arabic, Arabic Supplement,
# Arabic Extended-A, presentation forms A and B, Latin-1 and Latin Extended-A/B.
_BLOCKS = (
    (0x00C0, 0x024F),
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_ARTICLE = "ال"
# Indexed words per word as written (whitespace token), for Arabic; bounded.
_MEMO: dict[str, str] = {}
_MEMO_MAX = 1 << 20


def _words(text: str) -> list[str]:
    """Normalised word tokens of `text` (punctuation dropped)."""
    return [tok for tok in simple_word_tokenize(normalize(text)) if _is_word(tok)]


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def index_text(text: str, language: str) -> str:
    """The text Pagefind indexes: for Arabic, every reading of every word."""
    if language != "ar":
        return text
    return " ".join(filter(None, map(_indexed, text.split())))


def index_terms(text: str, language: str) -> str:
    """What a record gives Pagefind: the words of `index_text`, each once, as first met."""
    if language != "ar":
        return " ".join(dict.fromkeys(text.split()))
    pieces = dict.fromkeys(text.split())  # most repeats go before normalising
    return " ".join(dict.fromkeys(" ".join(filter(None, map(_indexed, pieces))).split()))


def _indexed(raw: str) -> str:
    """Every reading of every word in one whitespace-free piece of text, memoised.

    Normalising and tokenising piece by piece gives the tokens of the whole
    text: `simple_word_tokenize` splits at whitespace first, and what
    `normalize` turns into whitespace (NFKC of a ligature) is split here too.
    """
    indexed = _MEMO.get(raw)
    if indexed is None:
        indexed = " ".join(v for word in _words(raw) for v in core_variants(word))
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        _MEMO[raw] = indexed
    return indexed


def query_text(query: str, language: str) -> str:
    """A reader's query as the index expects it (mirrored by `search.js`)."""
    if language != "ar":
        return query
    return " ".join(key(tok) for tok in simple_word_tokenize(query) if _is_word(tok))


@lru_cache(maxsize=2)
def browser_rules(language: str) -> dict[str, object]:
    """The query normaliser as data for the browser's port of `query_text`."""
    if language != "ar":
        return {"language": language, "charmap": {}, "article": "", "min_core": 0}
    return {
        "language": language,
        "charmap": _charmap(),
        "article": _ARTICLE,
        "min_core": _article_min_core(),
    }


def _charmap() -> dict[str, str]:
    """Every code point `normalize` changes, with what it becomes."""
    out: dict[str, str] = {}
    for start, end in _BLOCKS:
        for code in range(start, end + 1):
            char = chr(code)
            if unicodedata.category(char) == "Cn":
                continue
            norm = normalize(char)
            if norm != char:
                out[char] = norm
    for char in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        out[char] = normalize(char)
    return out


def _article_min_core() -> int:
    """The shortest word `strip_article` still strips its article from."""
    for size in range(1, 8):
        if strip_article(_ARTICLE + "ب" * size) != _ARTICLE + "ب" * size:
            return size
    raise RuntimeError("strip_article never strips the article")
