"""UI strings and dates per language, through gettext catalogues and Babel.

The `.po` catalogues under `sitegen/locales/` are the only place UI text
lives. They are compiled in memory at build time (no `.mo` files to keep in
step), and dates go through Babel so Arabic pages get Maghrebi month names
(`ar_MA`: يناير … دجنبر) and English pages English ones.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from markupsafe import Markup

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"


def catalogue_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(lang: str) -> gettext.GNUTranslations:
    """The compiled catalogue of `lang`; a missing catalogue is an error, not English.

    Compiled once per version of the file, so a long-running `serve` picks up edits.
    """
    path = catalogue_path(lang)
    return _compile(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _compile(path: Path, _mtime: int) -> gettext.GNUTranslations:
    lang = path.parent.parent.name
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def markup_gettext(catalogue: gettext.GNUTranslations) -> Callable[..., Markup]:
    """The templates' `_`: what Jinja's newstyle gettext returns, memoised per message.

    Newstyle gettext marks the translation safe and %-formats it with the
    (escaped) keyword variables, even when there are none. A page asks for
    about twenty messages, each through three context calls; the result of a
    message without variables never changes, so it is made once.
    """
    made: dict[str, Markup] = {}

    def translate(message: str, **variables: object) -> Markup:
        if variables:
            return Markup(catalogue.gettext(message)) % variables
        found = made.get(message)
        if found is None:
            found = made[message] = Markup(catalogue.gettext(message)) % {}
        return found

    return translate


# Babel takes ~12 µs a date; a 10,000-article dossier shows ~5,000 distinct dates
# in each of two locales, more than a smaller cache would keep.
@lru_cache(maxsize=1 << 16)
def format_partial_date(iso: str, locale: str) -> str:
    """'2025-01-29' → '29 يناير 2025' / '29 January 2025'; '2025-01' → a month."""
    from datetime import date

    if len(iso) == 7:
        return format_skeleton("yMMMM", date.fromisoformat(iso + "-01"), locale=locale)
    return format_date(date.fromisoformat(iso), "long", locale=locale)


@lru_cache(maxsize=4096)
def format_number(value: int, locale: str) -> str:
    return format_decimal(value, locale=locale)


@cache
def language_name(lang: str) -> str:
    """The language's own name for itself ('العربية', 'English')."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]
