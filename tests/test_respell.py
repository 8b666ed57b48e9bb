"""The build cache serves every spelling of the content folder (`sitegen.respell`).

`sitegen build` run with `content` and a script or `serve` run with
`/abs/content` read the same files: a build under one spelling after one under
the other must neither read every file again nor make the model from every
article, and must name files the way its own command line does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen import incremental
from sitegen.incremental import Builder
from sitegen.respell import Respelling, spelling
from tests.test_incremental import EDITED, _age, _assert_same_as_clean


def _build(content: Path, tmp_path: Path) -> incremental.Outcome:
    builder = Builder(content, tmp_path / "public", tmp_path / "cache", search=False, workers=1)
    return builder.build()


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the builds read and validate (`incremental.read_files`)."""
    names: list[str] = []
    every = incremental.read_files

    def counted(unchecked, *args):
        names.extend(unchecked)
        return every(unchecked, *args)

    monkeypatch.setattr(incremental, "read_files", counted)
    return names


@pytest.fixture
def relative(content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The content folder as `sitegen build` run beside it names it."""
    monkeypatch.chdir(content.parent)
    return Path(content.name)


def _append(content: Path, text: str) -> None:
    path = content / "articles" / f"{EDITED}.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    _age(path)


def test_a_no_change_build_under_the_other_spelling_reads_nothing(
    relative: Path, tmp_path: Path, read: list[str], full_builds: list[int]
) -> None:
    first = _build(relative, tmp_path)
    read.clear()
    again = _build(relative.resolve(), tmp_path)
    assert (again.pages, read, full_builds) == (0, [], [1])
    assert first.warnings and all(line.startswith("content/") for line in first.warnings)
    prefix = spelling(relative.resolve())
    assert again.warnings == [prefix + line.removeprefix("content/") for line in first.warnings]


def test_the_content_cache_is_read_under_the_other_spelling(
    relative: Path, tmp_path: Path, read: list[str]
) -> None:
    first = _build(relative, tmp_path)
    read.clear()
    (tmp_path / "cache" / next(p.name for p in (tmp_path / "cache").glob("out-*"))).unlink()
    again = _build(relative.resolve(), tmp_path)  # no manifest: a full build from the cache
    assert again.clean and read == []
    assert [w.removeprefix(spelling(relative.resolve())) for w in again.warnings] == [
        w.removeprefix("content/") for w in first.warnings
    ]


def test_text_edits_take_the_stored_model_under_either_spelling(
    relative: Path, tmp_path: Path, full_builds: list[int]
) -> None:
    _build(relative, tmp_path)
    _append(relative, "فقرة من مسار مطلق.")
    assert _build(relative.resolve(), tmp_path).pages == 2
    _append(relative, "فقرة من مسار نسبي.")  # the delta was written under the other spelling
    outcome = _build(relative, tmp_path)
    assert outcome.pages == 2 and full_builds == [1]
    assert all(line.startswith("content/") for line in outcome.warnings)
    _assert_same_as_clean(relative.resolve(), tmp_path / "public", tmp_path, search=False)


def test_a_path_outside_the_old_spelling_stays_as_it_is() -> None:
    respelling = Respelling.between("content/", "/site/content")
    assert respelling is not None
    assert respelling.path("content/articles/a.md:4: warning: x") == (
        "/site/content/articles/a.md:4: warning: x"
    )
    assert respelling.path("other/articles/a.md") == "other/articles/a.md"
    assert Respelling.between("content/", "content") is None
    assert Respelling.between(None, "content") is None  # a cache file of an older version
    assert Respelling.between("content/", ".") is None  # no prefix to put in its place
