"""The templates' memoised `_` gives what Jinja's newstyle gettext gives."""

from __future__ import annotations

import re

import jinja2
import pytest
from babel.messages.pofile import read_po
from markupsafe import Markup

from sitegen import i18n


def _messages(lang: str) -> list[str]:
    with i18n.catalogue_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return [m.id for m in catalog if m.id and isinstance(m.id, str)]


def _jinja_gettext(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_message_matches_newstyle_gettext(lang: str) -> None:
    messages = _messages(lang)
    assert len(messages) > 50
    stock = _jinja_gettext(lang).from_string("{{ _(message, **variables) }}")
    cheap = i18n.markup_gettext(i18n.translations(lang))
    for message in messages:
        variables = dict.fromkeys(re.findall(r"%\((\w+)\)s", message), "<b>&x</b>")
        expected = stock.render(message=message, variables=variables)
        assert str(cheap(message, **variables)) == expected
        assert str(cheap(message, **variables)) == expected  # the memo gives the same


def test_result_is_safe_and_variables_are_escaped() -> None:
    cheap = i18n.markup_gettext(i18n.translations("en"))
    plain = cheap("Search")
    assert isinstance(plain, Markup)
    named = cheap("Reports of the dossier about %(name)s.", name="<i>")
    assert "&lt;i&gt;" in named and "<i>" not in named


def test_percent_signs_are_formatted_like_newstyle() -> None:
    """Newstyle gettext %-formats even without variables: '%%' becomes '%'."""
    cheap = i18n.markup_gettext(i18n.translations("en"))
    assert cheap("100%% sure") == "100% sure"
