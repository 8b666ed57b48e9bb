"""`sitegen check` finds content mistakes and names the file and line of each."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.validate import Issue, validate_content

OFFICIALS = """\
- id: abdellatif-hammouchi
  name_en: Abdellatif Hammouchi
  aliases_ar: [عبد اللطيف حموشي]
  country: MA
"""
TOPICS = """\
terrorism: {en: Terrorism, ar: الإرهاب}
training: {en: Training, ar: التكوين}
"""

GOOD = """\
---
slug: 2025-01-29-hammouchi-madrid
source: seeds/a.txt
title_ar: حموشي في مدريد
title_en: Hammouchi in Madrid
title_en_meta: {by: editor, ar_sha: null}
published: 2025-01-29
event_date: 2025-01
dates:
  - {date: 2025-01-29, text: 29 يناير 2025}
officials:
  - id: abdellatif-hammouchi
    name_ar: عبد اللطيف حموشي
    name_en: Abdellatif Hammouchi
    country: MA
    known: true
countries: [MA, ES]
places:
  - {id: madrid, name_ar: مدريد, name_en: Madrid, country: ES}
topics: [terrorism]
summary_ar: اجتمع حموشي بنظيره.
summary_en: Hammouchi met his counterpart.
summary_en_meta: {by: editor}
---

اجتمع حموشي بنظيره.
"""


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    registry = tmp_path / "content" / "registry"
    registry.mkdir(parents=True)
    (registry / "officials.yaml").write_text(OFFICIALS, encoding="utf-8")
    (registry / "topics.yaml").write_text(TOPICS, encoding="utf-8")
    (tmp_path / "content" / "articles").mkdir()
    return tmp_path / "content"


def _article(content_dir: Path, name: str, text: str) -> Path:
    path = content_dir / "articles" / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


def _issues(content_dir: Path) -> list[tuple[str, int | None, str, str]]:
    return [
        (issue.path.name, issue.line, issue.level, issue.message)
        for issue in validate_content(content_dir)
    ]


def test_a_correct_article_has_no_issues(content_dir: Path) -> None:
    _article(content_dir, "2025-01-29-hammouchi-madrid", GOOD)
    assert _issues(content_dir) == []


def _one(content_dir: Path, old: str, new: str) -> tuple[int | None, str, str]:
    assert old in GOOD
    _article(content_dir, "2025-01-29-hammouchi-madrid", GOOD.replace(old, new, 1))
    found = _issues(content_dir)
    assert len(found) == 1, found
    return found[0][1:]


def test_unknown_official_id(content_dir: Path) -> None:
    line, level, message = _one(content_dir, "id: abdellatif-hammouchi", "id: a-hammouchi")
    assert (line, level) == (12, "error")
    assert "unknown official id 'a-hammouchi'" in message


def test_official_not_in_registry_is_a_warning_when_marked_unknown(content_dir: Path) -> None:
    text = GOOD.replace("id: abdellatif-hammouchi", "id: new-person").replace(
        "known: true", "known: false"
    )
    _article(content_dir, "2025-01-29-hammouchi-madrid", text)
    assert _issues(content_dir) == [
        (
            "2025-01-29-hammouchi-madrid.md",
            12,
            "warning",
            "official 'new-person' (عبد اللطيف حموشي) is not in the registry: "
            "add them to registry/officials.yaml",
        )
    ]


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("countries: [MA, ES]", "countries: [MA, XY]", 17, "bad country code 'XY'"),
        ("countries: [MA, ES]", "countries: [MA, es]", 17, "did you mean 'ES'"),
        ("    country: MA\n", "    country: MAR\n", 15, "bad country code 'MAR'"),
        ("country: ES}", "country: QQ}", 19, "bad country code 'QQ'"),
    ],
)
def test_bad_iso_codes(content_dir: Path, old: str, new: str, line: int, words: str) -> None:
    found_line, level, message = _one(content_dir, old, new)
    assert (found_line, level) == (line, "error") and words in message


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("published: 2025-01-29", "published: 2025-02-30", 7, "impossible date '2025-02-30'"),
        ("event_date: 2025-01", "event_date: 2025-13", 8, "impossible date '2025-13'"),
        ("{date: 2025-01-29,", "{date: 2025-13-01,", 10, "dates[0].date: impossible date"),
        ("published: 2025-01-29", "published: 29/01/2025", 7, "expected YYYY-MM-DD"),
    ],
)
def test_impossible_dates(content_dir: Path, old: str, new: str, line: int, words: str) -> None:
    found_line, level, message = _one(content_dir, old, new)
    assert (found_line, level) == (line, "error") and words in message


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("topics: [terrorism]", "topics: terrorism", 20, "topics: expected a list or null"),
        ("    known: true", "    known: maybe", 16, "officials[0].known: expected true or false"),
        ("title_ar: حموشي في مدريد", "title_ar: [حموشي]", 4, "title_ar: expected text"),
        ("    name_ar: عبد اللطيف حموشي\n", "", 12, "'name_ar' is a required property"),
        ("source: seeds/a.txt", "source: seeds/a.txt\ndraft: later", 4, "draft: expected true or"),
    ],
)
def test_wrong_types(content_dir: Path, old: str, new: str, line: int, words: str) -> None:
    found_line, level, message = _one(content_dir, old, new)
    assert (found_line, level) == (line, "error") and words in message


def test_unknown_topic(content_dir: Path) -> None:
    line, level, message = _one(content_dir, "topics: [terrorism]", "topics: [terrorism, spying]")
    assert (line, level) == (20, "error") and "unknown topic 'spying'" in message


def test_yaml_syntax_error_names_the_line(content_dir: Path) -> None:
    _article(content_dir, "x", GOOD.replace("countries: [MA, ES]", "countries: [MA, ES"))
    [(name, line, level, message)] = _issues(content_dir)
    assert name == "x.md" and level == "error" and "YAML syntax error" in message
    assert line in (17, 18)


def test_slug_unsafe_for_a_path(content_dir: Path) -> None:
    for bad in ("../../etc/passwd", "Hammouchi Madrid", "حموشي"):
        text = GOOD.replace("slug: 2025-01-29-hammouchi-madrid", f"slug: '{bad}'")
        _article(content_dir, "2025-01-29-hammouchi-madrid", text)
        [(_, line, level, message)] = _issues(content_dir)
        assert (line, level) == (2, "error") and "not a safe slug" in message


def test_duplicate_slugs_across_files(content_dir: Path) -> None:
    _article(content_dir, "a", GOOD)
    _article(content_dir, "b", GOOD.replace("source: seeds/a.txt", "source: seeds/b.txt"))
    [(name, line, level, message)] = _issues(content_dir)
    assert (name, line, level) == ("b.md", 2, "error")
    assert "duplicate slug '2025-01-29-hammouchi-madrid'" in message and "a.md" in message


def test_missing_and_stale_english_are_warnings(content_dir: Path) -> None:
    text = GOOD.replace("title_en: Hammouchi in Madrid\n", "")
    text = text.replace("title_en_meta: {by: editor, ar_sha: null}\n", "")
    text = text.replace(
        "summary_en_meta: {by: editor}", "summary_en_meta: {by: editor, ar_sha: 0123456789ab}"
    )
    _article(content_dir, "a", text)
    found = _issues(content_dir)
    assert [(line, level) for _, line, level, _ in found] == [(4, "warning"), (20, "warning")]
    assert "no English title" in found[0][3] and "older Arabic summary" in found[1][3]


def test_unknown_key_is_a_warning(content_dir: Path) -> None:
    _article(content_dir, "a", GOOD.replace("title_en: ", "titel_en: "))
    found = _issues(content_dir)
    assert ("a.md", 5, "warning", "unknown key 'titel_en' (a typo?)") in found
    assert all(level == "warning" for _, _, level, _ in found)


def test_registry_errors_are_reported_with_line(content_dir: Path) -> None:
    (content_dir / "registry" / "officials.yaml").write_text(
        OFFICIALS + "- id: Bad Id\n  name_en: X\n", encoding="utf-8"
    )
    [issue] = validate_content(content_dir)
    assert issue.path.name == "officials.yaml" and issue.line == 5 and issue.level == "error"


def test_issue_text_format() -> None:
    issue = Issue(Path("content/articles/x.md"), 12, "error", "unknown official id 'foo'")
    assert str(issue) == "content/articles/x.md:12: error: unknown official id 'foo'"


def test_cli_exit_codes(content_dir: Path, capsys) -> None:
    _article(content_dir, "a", GOOD.replace("title_en: Hammouchi in Madrid\n", ""))
    assert main(["check", "--content", str(content_dir)]) == 0
    assert main(["check", "--content", str(content_dir), "--strict"]) == 1
    _article(content_dir, "a", GOOD.replace("countries: [MA, ES]", "countries: [MA, XY]"))
    assert main(["check", "--content", str(content_dir)]) == 1
    out = capsys.readouterr().out
    assert f"{content_dir}/articles/a.md:17: error: bad country code 'XY'" in out
    assert "check: 1 errors, 0 warnings in 1 files" in out


def test_duplicate_key_is_an_error_on_its_second_line(content_dir: Path) -> None:
    _article(content_dir, "a", GOOD.replace("summary_ar:", "title_ar: عنوان ثان\nsummary_ar:"))
    found = _issues(content_dir)
    assert (
        "a.md",
        21,
        "error",
        "duplicate key 'title_ar' (first on line 4): only this one is kept",
    ) in found


def test_load_articles_reads_every_file_with_lines(content_dir: Path) -> None:
    from sitegen.content import load_articles

    _article(content_dir, "b", GOOD.replace("2025-01-29-hammouchi-madrid", "b"))
    _article(content_dir, "a", GOOD.replace("2025-01-29-hammouchi-madrid", "a"))
    docs = load_articles(content_dir)
    assert [d.meta["slug"] for d in docs] == ["a", "b"]
    assert docs[0].line_of("officials", 0, "country") == 15
    assert docs[0].body.strip() == "اجتمع حموشي بنظيره."


def test_fast_line_numbers_match_the_reference_reader() -> None:
    from sitegen import frontmatter
    from sitegen.content import parse_document

    text = "\ufeff" + GOOD.replace("summary_ar: ", "summary_ar: |\n  سطر\n  سطر\nx_notes: ")
    fast = parse_document(text, Path("a.md"), with_lines=True)
    assert fast.lines == frontmatter.parse(text, "a.md").lines
    assert fast.line_of("places", 0, "country") == 19


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (GOOD.encode("cp1256"), None, "not UTF-8 text"),
        (GOOD.replace("---\n", "", 1).encode(), 1, "missing front-matter"),
        (GOOD.rsplit("---", 1)[0].encode(), 1, "front-matter is not closed"),
        (b"---\n- a list\n---\n", 2, "must be a mapping"),
    ],
)
def test_unreadable_content_files(content_dir: Path, data: bytes, line, words: str) -> None:
    (content_dir / "articles" / "a.md").write_bytes(data)
    [(name, found_line, level, message)] = _issues(content_dir)
    assert (name, found_line, level) == ("a.md", line, "error") and words in message


def test_registry_ids_unsafe_for_a_path(content_dir: Path) -> None:
    (content_dir / "registry" / "places.yaml").write_text(
        "- id: rabat\n  name_en: Rabat\n- id: ../x\n  name_en: X\n", encoding="utf-8"
    )
    (content_dir / "registry" / "topics.yaml").write_text(
        TOPICS + "'a/b': {en: X, ar: س}\n", encoding="utf-8"
    )
    found = [(i.path.name, i.line, i.level, i.message) for i in validate_content(content_dir)]
    unsafe = "is not a safe slug (lower-case ASCII letters, digits and '-')"
    assert found == [
        ("places.yaml", 3, "error", f"'../x' {unsafe}"),
        ("topics.yaml", 3, "error", f"'a/b' {unsafe}"),
    ]
