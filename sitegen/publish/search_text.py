"""Text as the search index sees it, built on the extractor's own normaliser.

Pagefind does not know Arabic proclitics or spelling variants: "حموشي" does
not find "الحموشي" or "وحموشي", "الكتب" does not find "والكتب". So each
indexed word is replaced by every reading the extractor gives it
(`core_variants`: with its proclitics removed), and a reader's query word is
reduced to its registry key (`key`: normalised, article dropped). A bare word
is always among the readings of any prefixed form of it, which is exactly how
the extractor matches names against the registry.

The browser must reduce queries the same way: `browser_rules` describes the
normaliser as data (a character map computed by running the Python code over
the Arabic and Latin blocks, and the article rule probed from `strip_article`)
so the small JavaScript port in `search.js` cannot drift from it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from sitegen.extract.text import core_variants, key, normalize, simple_word_tokenize, strip_article

__all__ = ["browser_rules", "index_text", "query_text"]

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


def _words(text: str) -> list[str]:
    """Normalised word tokens of `text` (punctuation dropped)."""
    return [tok for tok in simple_word_tokenize(normalize(text)) if _is_word(tok)]


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def index_text(text: str, language: str) -> str:
    """The text Pagefind indexes: for Arabic, every reading of every word."""
    if language != "ar":
        return text
    return " ".join(variant for word in _words(text) for variant in core_variants(word))


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
