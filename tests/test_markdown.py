"""The plain-paragraph shortcut gives exactly what markdown-it gives, or steps aside."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from sitegen import markdown
from sitegen.content import parse_document

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "content" / "articles"
ARABIC = "استقبلالمديرالعامللأمنالوطنيوفدامنإسبانيا"
# Characters of prose, each markup character, and white space of every kind.
PIECES = [
    *ARABIC,
    *"abc012 ",
    *" " * 12,
    *"\n" * 8,
    "\n\n",
    *".):-#>*_`[]!<&\"'=~|+\\/",
    "\t",
    "\xa0",
    "\u3000",
    "\u2028",
    "\x0c",
    "\x85",
    "\u200f",
    "\r\n",
    "1. ",
    "2) ",
    "---",
    "    ",
    "&amp;",
    "<b>",
    "[a](b)",
]


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        plain = rng.random() < 0.5  # half of them prose only, so the shortcut is taken
        pool = [*ARABIC, " ", "\n", "\n\n", ".", '"'] if plain else PIECES
        texts.append("".join(rng.choice(pool) for _ in range(rng.randint(0, 60))))
    return texts


def test_random_texts_render_as_markdown_it_renders_them() -> None:
    taken = 0
    for text in _texts(20_000, seed=6):
        plain = markdown.plain_paragraphs(text)
        if plain is not None:
            taken += 1
            assert plain == markdown.PARSER.render(text), repr(text)
    assert taken > 5_000  # the comparison is not empty


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.md")), ids=lambda p: p.stem)
def test_article_bodies_render_as_markdown_it_renders_them(path: Path) -> None:
    body = parse_document(path.read_text(encoding="utf-8"), path).body
    assert markdown.render(body) == markdown.PARSER.render(body)


@pytest.mark.parametrize(
    "text",
    ['فقرة أولى.\nسطر ثان.\n\nفقرة "ثانية".\n', "", "\n\n", "سطر واحد"],
)
def test_prose_takes_the_shortcut(text: str) -> None:
    assert markdown.plain_paragraphs(text) == markdown.PARSER.render(text)


@pytest.mark.parametrize(
    "text",
    ["# عنوان", "نص *مائل*", "1. بند", "سطر  \nآخر", "    شفرة", "نص\n---", "\xa0نص"],
)
def test_anything_that_may_be_markup_goes_to_markdown_it(text: str) -> None:
    assert markdown.plain_paragraphs(text) is None
