"""A long-lived Builder (serve) updates its model in place when an edit changes texts only.

Each test keeps one Builder across edits, as `sitegen serve` does, and checks
two things: whether the model was rebuilt from every article or updated in
place (the full path is `Builder._model`), and that the output equals a clean
build of the same content, byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen import incremental
from sitegen.commands.build import BuildError
from sitegen.frontmatter import ContentError
from tests.test_incremental import (
    EDITED,
    UNDATED,
    _age,
    _assert_same_as_clean,
    _builder,
    _touch_edit,
)


def _edit(content: Path, slug: str, old: str, new: str) -> None:
    _touch_edit(content / "articles" / f"{slug}.md", old, new)


def test_text_edits_update_the_model_in_place(content: Path, tmp_path: Path, full_builds) -> None:
    builder = _builder(content, tmp_path)
    builder.build()
    assert full_builds == [1]
    _edit(content, EDITED, "summary_ar: اجتمع", "summary_ar: التقى واجتمع")
    _edit(content, UNDATED, "\n\n", "\n\nفقرة جديدة في أول النص.\n\n")
    outcome = builder.build()
    assert full_builds == [1], "a text edit rebuilt the model from every article"
    assert 0 < outcome.pages < outcome.total
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)
    _edit(content, EDITED, "title_ar: تعاون", "title_ar: تنسيق")  # and again
    builder.build()
    assert full_builds == [1]
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("event_date: 2025-01-29", "event_date: 2025-01-20"),
        ("  - drug_trafficking\n", ""),
        ("    name_en: Dieter Romann", "    name_en: Dieter Romann Jr."),
        ("outlet_ar: أنتلجنسيا المغرب", "outlet_ar: هسبريس"),
        ("  - DE\n", ""),
    ],
)
def test_fact_edits_rebuild_the_model(
    content: Path, tmp_path: Path, full_builds, old: str, new: str
) -> None:
    builder = _builder(content, tmp_path)
    builder.build()
    _edit(content, EDITED, old, new)
    builder.build()
    assert full_builds == [1, 1]
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_added_or_deleted_article_rebuilds_the_model(
    content: Path, tmp_path: Path, full_builds
) -> None:
    builder = _builder(content, tmp_path)
    builder.build()
    (content / "articles" / f"{UNDATED}.md").unlink()
    builder.build()
    assert full_builds == [1, 1]
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_a_failed_build_does_not_leave_a_half_updated_model(
    content: Path, tmp_path: Path, full_builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder = _builder(content, tmp_path)
    builder.build()
    _edit(content, EDITED, "summary_ar: اجتمع", "summary_ar: التقى واجتمع")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(incremental, "_move_pages", broken)
        with pytest.raises(RuntimeError):
            builder.build()
    builder.build()  # the model was changed by the failed build: made again
    assert full_builds == [1, 1]
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_broken_yaml_then_fixed_stays_on_the_quick_path(
    content: Path, tmp_path: Path, full_builds
) -> None:
    builder = _builder(content, tmp_path)
    builder.build()
    path = content / "articles" / f"{EDITED}.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("title_ar: ", "title_ar: [unclosed ", 1), encoding="utf-8")
    _age(path)
    with pytest.raises((BuildError, ContentError)):
        builder.build()
    path.write_text(good.replace("title_ar: تعاون", "title_ar: تنسيق", 1), encoding="utf-8")
    _age(path)
    builder.build()
    assert full_builds == [1]  # validation failed before the model was touched
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_a_warmed_builder_takes_the_quick_path_for_the_first_edit(
    content: Path, tmp_path: Path, full_builds
) -> None:
    _builder(content, tmp_path).build()  # `sitegen build` earlier: the output is up to date
    serving = _builder(content, tmp_path)
    assert serving.build().pages == 0  # serve's first build: nothing to do, no model made
    serving.warm()
    assert full_builds == [1, 1]
    _edit(content, EDITED, "summary_ar: اجتمع", "summary_ar: التقى واجتمع")
    assert serving.build().pages > 0
    assert full_builds == [1, 1]
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)


def test_a_name_source_counts_by_its_naming_facts_not_its_text(content: Path) -> None:
    from sitegen.render import plan_pages
    from sitegen.site import load_site

    site = load_site(content)
    lenders = {
        (entity.source.slug, entity.id)
        for entity in (*site.officials.values(), *site.outlets.values())
        if entity.source is not None and len(entity.articles) > 1
    }
    assert lenders, "the fixture has no name shared by several reports"
    slug, _ = sorted(lenders)[0]
    others = {a.slug for a in site.articles} - {slug}

    def article_fingerprints() -> dict[str, str]:
        jobs = plan_pages(load_site(content), "base")
        return {j.path: j.fingerprint for j in jobs if j.kind == "article" and j.key in others}

    before = article_fingerprints()
    path = content / "articles" / f"{slug}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nفقرة أخرى.\n", encoding="utf-8")
    assert article_fingerprints() == before  # its text is shown on its own pages only
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name_ar: ", "name_ar: السيد ", 1), encoding="utf-8")
    assert article_fingerprints() != before  # a name it lends changed


def test_deferred_extras_land_after_the_pages(content: Path, tmp_path: Path) -> None:
    builder = _builder(content, tmp_path)
    builder.build()
    builder.defer_extras = True  # as serve does
    _edit(content, EDITED, "summary_ar: اجتمع", "summary_ar: التقى واجتمع")
    assert builder.build().extras
    _edit(content, UNDATED, "\n\n", "\n\nفقرة أخرى في أول النص.\n\n")  # before they land
    builder.build()
    builder.wait_extras()
    _assert_same_as_clean(content, tmp_path / "public", tmp_path, search=False)
    _age(content / "articles" / f"{EDITED}.md")  # same text, new mtime: a real rebuild
    again = _builder(content, tmp_path).build()
    assert (again.pages, again.extras) == (0, False)  # the manifest knows they are in
