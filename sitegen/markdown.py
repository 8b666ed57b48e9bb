"""Article bodies as HTML: CommonMark by markdown-it, with a shortcut for plain text.

Most bodies are what ingest makes of a scraped article: paragraphs of Arabic
prose with no markup at all. For those the HTML is known without parsing
(each paragraph in <p>, its lines as they are, `"` escaped), and the parser
would spend a sixth of a 10,000-article build finding that out. Any text
that might hold markup (a character markup is made of, a line that could
open a block, white space at either end of a line) goes to markdown-it, so
the shortcut can only ever give what markdown-it gives: tests/test_markdown.py
renders random texts both ways and compares them.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

# CommonMark with raw HTML off and images off (no resource from another host).
PARSER = MarkdownIt("commonmark", {"html": False}).disable("image")

# Characters of inline markup and entities, and white space that is not a
# line break or a space (tabs indent, CR ends lines).
_MARKUP_CHARACTERS = "\\`*_[]<>&\0\t\r"
# What opens a block at a line's start: headings, quotes, lists, rules, fences,
# setext underlines (white space at either end of a line is tested apart).
_BLOCK_STARTS = "#>+=~|-"
_ORDERED_ITEM = re.compile(r"\d+[.)]")
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def render(text: str) -> str:
    """The HTML of a Markdown text, as markdown-it renders it."""
    plain = plain_paragraphs(text)
    return plain if plain is not None else PARSER.render(text)


def plain_paragraphs(text: str) -> str | None:
    """The HTML of a text of plain paragraphs; None if it may hold any markup."""
    if any(character in text for character in _MARKUP_CHARACTERS) or _has_block_syntax(text):
        return None
    text = text.strip("\n")
    if not text:
        return ""
    paragraphs = _PARAGRAPH_BREAK.split(text.replace('"', "&quot;"))
    return "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs)


def _has_block_syntax(text: str) -> bool:
    """True when a line might be more than paragraph text: indented, ending in a hard
    break, white (markdown-it strips Unicode white space too), or opening a block."""
    for line in text.split("\n"):
        if line and (
            line[0] in _BLOCK_STARTS
            or line[0].isspace()
            or line[-1].isspace()
            or (line[0].isdigit() and _ORDERED_ITEM.match(line))
        ):
            return True
    return False
