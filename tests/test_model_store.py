"""`sitegen build` in a new process takes serve's text-edit path with the stored model.

Each build here is a new Builder, as each `sitegen build` is. After a text
edit the build must not make the model from every article (`Builder._model`),
must render only the pages that show what changed, must print the warnings a
full validation prints, and must leave the output a clean build would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen import incremental
from sitegen.commands.build import BuildError
from sitegen.frontmatter import ContentError
from sitegen.incremental import Builder
from tests.test_incremental import (
    EDITED,
    _age,
    _assert_same_as_clean,
    _builder,
    _touch_edit,
)

ARTICLE_PAGES = 2  # the edited article's page in each language


def _edit(content: Path, old: str, new: str) -> None:
    _touch_edit(content / "articles" / f"{EDITED}.md", old, new)


def _append_to_body(content: Path, text: str) -> None:
    path = content / "articles" / f"{EDITED}.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    _age(path)


def _fresh_warnings(content: Path, tmp_path: Path) -> list[str]:
    """The warnings of a build that has no cache and no output to start from."""
    fresh = Builder(content, tmp_path / "fresh-out", tmp_path / "fresh-cache", workers=1)
    fresh.search = False
    return fresh.build().warnings


def test_a_body_edit_renders_only_the_articles_own_pages(
    content: Path, tmp_path: Path, full_builds: list[int]
) -> None:
    _builder(content, tmp_path).build()
    _append_to_body(content, "فقرة جديدة في آخر النص.")
    outcome = _builder(content, tmp_path).build()
    assert full_builds == [1], "a new process made the model from every article"
    assert outcome.pages == ARTICLE_PAGES
    assert not outcome.extras  # feeds and dossier.json show no body
    assert outcome.warnings == _fresh_warnings(content, tmp_path)
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_edits_add_up_in_the_stored_models_delta(
    content: Path, tmp_path: Path, full_builds: list[int]
) -> None:
    _builder(content, tmp_path).build()
    _append_to_body(content, "فقرة أولى.")
    _builder(content, tmp_path).build()
    _edit(content, "title_ar: تعاون", "title_ar: تنسيق")  # shown by every listing of it
    outcome = _builder(content, tmp_path).build()
    assert full_builds == [1]
    assert outcome.pages > ARTICLE_PAGES and outcome.extras
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)
    _append_to_body(content, "فقرة ثانية.")
    assert _builder(content, tmp_path).build().pages == ARTICLE_PAGES
    assert full_builds == [1]
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_the_stored_model_keeps_its_search_records(
    content: Path, tmp_path: Path, full_builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records are made for every page once; later processes remake the edited
    articles' alone, those edited since the model was stored (its delta) too."""
    from sitegen import publish

    made: list[int] = []
    every = publish.search_documents
    monkeypatch.setattr(publish, "search_documents", lambda r: made.append(1) or every(r))
    _builder(content, tmp_path, search=True).build()
    _append_to_body(content, "كلمة_أولى_للبحث")
    _builder(content, tmp_path, search=True).build()
    other = content / "articles" / "hammouchi-receives-guardia-civil.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nكلمة_ثانية_للبحث\n", "utf-8")
    _age(other)
    assert _builder(content, tmp_path, search=True).build().pages == ARTICLE_PAGES
    assert full_builds == [1] and made == [1]
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=True)


def test_a_fact_edit_makes_the_model_again_and_stores_it(
    content: Path, tmp_path: Path, full_builds: list[int]
) -> None:
    _builder(content, tmp_path).build()
    _edit(content, "event_date: 2025-01-29", "event_date: 2025-01-20")
    _builder(content, tmp_path).build()
    assert full_builds == [1, 1]
    _append_to_body(content, "فقرة بعد تغيير التاريخ.")
    _builder(content, tmp_path).build()
    assert full_builds == [1, 1]  # the model stored by the last build
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_an_error_in_the_edited_file_fails_as_a_full_build_does(
    content: Path, tmp_path: Path
) -> None:
    _builder(content, tmp_path).build()
    _edit(content, "title_ar: ", "title_ar: [unclosed ")
    with pytest.raises((BuildError, ContentError)) as caught:
        _builder(content, tmp_path).build()
    assert f"{EDITED}.md" in str(caught.value)


def test_a_stored_model_is_not_used_for_another_output(
    content: Path, tmp_path: Path, full_builds: list[int]
) -> None:
    _builder(content, tmp_path).build()
    shutil.rmtree(tmp_path / "public")  # not the folder the model was rendered into
    _append_to_body(content, "فقرة جديدة.")
    outcome = _builder(content, tmp_path).build()
    assert full_builds == [1, 1] and outcome.clean
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_serve_stores_its_model_as_it_stops(
    content: Path, tmp_path: Path, full_builds: list[int]
) -> None:
    serving = _builder(content, tmp_path)
    serving.save_every_build = False  # as serve runs it
    serving.build()
    _append_to_body(content, "فقرة في الخادم.")
    serving.build()
    serving.store_model()
    assert full_builds == [1]
    _append_to_body(content, "فقرة بعد الخادم.")
    assert _builder(content, tmp_path).build().pages == ARTICLE_PAGES
    assert full_builds == [1], "the command line made the model again after serve"
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_serve_stores_no_model_changed_by_a_failed_build(
    content: Path, tmp_path: Path, full_builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    serving = _builder(content, tmp_path)
    serving.save_every_build = False
    serving.build()
    _append_to_body(content, "فقرة لم تكتب.")  # copied into the model, then the build fails

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(incremental, "_move_pages", broken)
        with pytest.raises(RuntimeError):
            serving.build()
    serving.store_model()
    _builder(content, tmp_path).build()
    assert full_builds == [1, 1]  # nothing stored: the model was made again
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_serve_stores_its_model_after_a_file_failed_validation(
    content: Path, tmp_path: Path, full_builds: list[int]
) -> None:
    serving = _builder(content, tmp_path)
    serving.save_every_build = False
    serving.build()
    _edit(content, "title_ar: ", "title_ar: [unclosed ")
    with pytest.raises((BuildError, ContentError)):
        serving.build()  # before the model or the output were touched
    serving.store_model()
    _edit(content, "title_ar: [unclosed ", "title_ar: ")
    _builder(content, tmp_path).build()
    assert full_builds == [1]
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)
