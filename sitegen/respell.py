"""The content folder's spelling in the build cache.

Paths in the cache are kept as the command line spelled them
(`content/articles/x.md`), so that messages name files as the user does. The
cache files of a folder are found by its resolved path, so `sitegen build`
(`content`) and a script or `serve` run with `/abs/content` share them: a
file written under the other spelling is respelled as it is loaded, instead
of its keys all missing (a full re-read and re-link: 6 s at 10,000 articles,
for a build with nothing to do).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

V = TypeVar("V")


def spelling(content_dir: Path | str) -> str:
    """The prefix every path under `content_dir` starts with, as this build spells it.

    Empty for the current folder ('.'), whose paths have no prefix to replace.
    """
    text = str(Path(content_dir))
    return "" if text == "." else os.path.join(text, "")


@dataclass(frozen=True)
class Respelling:
    """From the spelling a cache file was written with to this build's."""

    old: str
    new: str

    @classmethod
    def between(cls, stored: str | None, content_dir: Path | str) -> Respelling | None:
        """None when nothing needs respelling, or nothing can be (an unknown or empty
        prefix: the caller then finds its keys missing and reads the files again)."""
        new = spelling(content_dir)
        if not stored or not new or stored == new:
            return None
        return cls(stored, new)

    def path(self, path: str) -> str:
        """`path` (or a message that starts with it) in the new spelling."""
        return self.new + path[len(self.old) :] if path.startswith(self.old) else path

    def keys(self, mapping: dict[str, V]) -> dict[str, V]:
        return {self.path(key): value for key, value in mapping.items()}

    def lines(self, lines: list[str]) -> list[str]:
        return [self.path(line) for line in lines]

    def lines_by_file(self, mapping: dict[str, list[str]]) -> dict[str, list[str]]:
        """Each file's warning lines, keys and lines respelled."""
        return {self.path(name): self.lines(lines) for name, lines in mapping.items()}
