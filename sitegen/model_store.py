"""The last build's site model, kept in the build cache for the next command.

`sitegen serve` keeps its model in memory, so a text edit (a title, a
summary, the body) is a quick rebuild: copy the new texts in, re-render the
pages that show them. A `sitegen build` process starts with nothing: reading
10,000 cached articles, linking them and planning every page takes 1.5 s of
a one-article rebuild. Unpickling the linked model takes a quarter of that.

The model is stored whole after a full rebuild, and the text edits applied
since as a small delta next to it (rewriting 60 MB after every edit would
cost more than it saves). A stored model is used only by the build whose
manifest names its stamp: the output folder is then exactly what that model
(plus its delta) rendered.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen import cachefile
from sitegen.respell import Respelling, spelling


@dataclass
class StoredModel:
    """A LastBuild with the validation warnings it was built with.

    `head` holds the warnings that belong to no article (the settings);
    `lines` each article file's warnings, by path, as the build printed them.
    `edited` are the articles whose texts changed since the model was stored
    (path -> Article), already applied to `last`.
    """

    stamp: str
    last: Any
    head: list[str]
    lines: dict[str, list[str]]
    edited: dict[str, Any] = field(default_factory=dict)
    spelling: str = ""  # of the content folder in the paths above (`respell`)

    def warnings(self, order: list[str]) -> list[str]:
        """Every warning, in the order a full validation gives them (files in `order`)."""
        return [*self.head, *(line for name in order for line in self.lines.get(name, ()))]


def new_stamp() -> str:
    return os.urandom(8).hex()


def delta_path(path: Path) -> Path:
    return path.with_suffix(".delta.pickle")


def save(path: Path, stored: StoredModel) -> None:
    """Store the whole model (after a full rebuild); any older delta goes."""
    data = {"stamp": stored.stamp, "last": stored.last, "head": stored.head, "lines": stored.lines}
    cachefile.save(path, {**data, "spelling": stored.spelling})
    delta_path(path).unlink(missing_ok=True)


def save_edits(path: Path, stored: StoredModel, edited: dict[str, Any], lines: dict) -> None:
    """Record text edits applied to `stored` (after a quick rebuild), in its delta."""
    stored.edited.update(edited)
    stored.lines.update(lines)
    changed = {name: stored.lines[name] for name in stored.edited if name in stored.lines}
    data = {"base": stored.stamp, "edited": stored.edited, "lines": changed}
    data = {**data, "stats": stored.last.stats, "spelling": stored.spelling}
    cachefile.save(delta_path(path), data)


def load(path: Path, stamp: str | None, content_dir: Path) -> StoredModel | None:
    """The model stored with `stamp`, its delta applied, its paths spelled as
    `content_dir` is; None when there is none."""
    if not stamp:
        return None
    data = cachefile.load(path)
    if data.get("stamp") != stamp or "last" not in data:
        return None
    here = spelling(content_dir)
    stored = StoredModel(stamp, data["last"], data["head"], data["lines"], spelling=here)
    respelling = Respelling.between(data.get("spelling"), content_dir)
    if respelling is not None:
        stored.last.respell(respelling)
        stored.head = respelling.lines(stored.head)
        stored.lines = respelling.lines_by_file(stored.lines)
    delta = cachefile.load(delta_path(path))
    if delta.get("base") == stamp:
        respelling = Respelling.between(delta.get("spelling"), content_dir)
        if respelling is not None:
            for article in delta["edited"].values():
                article.path = respelling.path(article.path)
            for name in ("edited", "stats"):
                delta[name] = respelling.keys(delta[name])
            delta["lines"] = respelling.lines_by_file(delta["lines"])
        stored.edited = delta["edited"]
        stored.lines.update(delta["lines"])
        stored.last.apply(stored.edited, delta["stats"])
    return stored
