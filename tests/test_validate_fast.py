"""The fast ways of reading and checking content give what the reference ways give.

Validation parses each file once with libyaml (a tuned loader, lines found
from the same node tree) and asks a compiled schema validator first; these
tests hold each shortcut to the slower reference it replaces.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitegen import content, frontmatter, validate
from tests.test_check import GOOD

# Every kind of scalar the YAML 1.1 resolvers tell apart, and the structures
# PyYAML constructs specially (anchors, merge keys, explicit tags).
YAML_CASES = [
    "a: 1\nb: -1.5\nc: 1e3\nd: 0x1F\ne: 0o17\nf: 017\ng: +12\nh: 1_000\ni: 190:20:30\n",
    "a: true\nb: yes\nc: No\nd: off\ne: ON\nf: y\ng: TRUE\nh: Yes\n",
    "a: ~\nb: null\nc: NULL\nd:\ne: ''\nf: '~'\ng: \"null\"\n",
    "a: .inf\nb: -.Inf\nc: .NaN\nd: 3.\ne: .5\n",
    "a: 2025-01-29\nb: 2001-12-14t21:59:43.10-05:00\nc: 2025-01\nd: '2025-01-29'\n",
    "a: !!str 12\nb: !!int '7'\nc: !!float '1'\nd: !!bool 'yes'\ne: !!null ''\n",
    "c: '<<'\ne: '-'\nf: +\ng: .\nh: '='\n",
    "base: &b {id: x, n: 1}\nitem:\n  <<: *b\n  n: 2\nlist: [*b, *b]\n",
    "base: &b {id: x}\nmore: &m {k: v}\nitem:\n  <<: [*b, *m]\n  z: 1\n",
    "? complex\n: value\n'quoted key': 1\n\"dq\": 2\nعنوان: نص عربي\n",
    "t: |\n  سطر\n  سطر\nf: >\n  a\n  b\nk: |-\n  x\n",
    "l:\n  - a\n  - [1, 2, {x: null}]\n  - - nested\n    - 3.0\n",
    "",
    "# only a comment\n",
    "- a list\n- 2\n",
    "plain scalar",
]


def _outcome(load: Any, text: str) -> str:
    try:
        return repr(load(text))  # repr tells 1 from True and from 1.0
    except yaml.YAMLError:
        return "YAMLError"
    except ValueError as exc:  # PyYAML lets some through (`!!int x`)
        return f"ValueError: {exc}"


@pytest.mark.parametrize("text", [*YAML_CASES, "a: =\n", "a: <<\n", "a: !!int x\n", "[a: b"])
def test_fast_loader_constructs_what_pyyaml_does(text: str) -> None:
    reference = _outcome(lambda t: yaml.load(t, Loader=frontmatter._Loader), text)  # pure Python
    assert _outcome(lambda t: content.load_yaml(t)[0], text) == reference
    if not reference.startswith(("YAMLError", "ValueError")):
        node = content.load_yaml(text)[1]
        assert (node is None) == (text.strip() in ("", "# only a comment"))


@pytest.mark.parametrize("text", [t for t in YAML_CASES if t.startswith(("base", "t:", "l:"))])
def test_lines_found_on_demand_are_the_reference_readers(text: str) -> None:
    """Also when merge keys, which PyYAML flattens into the tree, are there."""
    file_text = f"---\n{text}---\nbody\n"
    head, body, body_line = frontmatter.split(file_text)
    lazy = content.parse_head(head, body, body_line, Path("a.md"), "lazy")
    reference = frontmatter.parse(file_text, "a.md")
    assert lazy.meta == reference.meta
    for key_path in reference.lines:
        assert lazy.line_of(*key_path) == reference.line_of(*key_path)
    assert lazy.lines == reference.lines


def test_fast_reading_of_a_real_file_equals_the_reference_reader() -> None:
    text = GOOD.replace("published: 2025-01-29", "published: 2025-01-29\nn: 3\nflag: yes")
    fast = content.parse_document(text, Path("a.md"), with_lines=True)
    reference = frontmatter.parse(text, "a.md")
    assert (fast.meta, fast.body, fast.body_line) == (
        reference.meta,
        reference.body,
        reference.body_line,
    )
    assert fast.lines == reference.lines


# --- the compiled schema ----------------------------------------------------------------

ODD_VALUES: list[Any] = [
    None,
    0,
    1.5,
    True,
    "",
    "x",
    "Bad Slug",
    "2025-02-30",
    "2025-13",
    "2025-01",
    "2025-01-29",
    "machine:deepl",
    "0123456789ab",
    "abc\n",
    [],
    ["x"],
    [{"date": "2025-01-32"}],
    {},
    {"by": "robot"},
    {"date": "2025-01-01"},
    {"id": "a", "name_ar": ""},
]


def _paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from _paths(item, (*prefix, index))


def _replaced(meta: dict, path: tuple, value: Any) -> dict:
    out = copy.deepcopy(meta)
    target = out
    for part in path[:-1]:
        target = target[part]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return out


_DELETE = object()


def _variants() -> Iterator[dict]:
    meta = content.parse_document(GOOD, Path("a.md")).meta
    meta["ingest"] = {"source_sha256": "ab", "today": "2025-01-30", "fields": {"title_ar": "1a"}}
    yield meta
    for path in _paths(meta):
        for value in [*ODD_VALUES, _DELETE]:
            yield _replaced(meta, path, value)
    for key in validate._known_keys():
        for value in ODD_VALUES:
            yield {**meta, key: value}


def test_compiled_schema_says_valid_exactly_when_jsonschema_finds_nothing() -> None:
    """Its one known difference: a pattern's `$` there does not match before a final newline;
    such files go on to jsonschema, whose verdict then stands."""
    seen = {True: 0, False: 0}
    for meta in _variants():
        reference = not list(validate._validator().iter_errors(meta))
        fast = validate._valid(meta)
        seen[reference] += 1
        if fast != reference:
            assert reference and not fast and "\\n" in repr(meta), meta
    assert seen[True] > 50 and seen[False] > 500


def test_schema_refs_are_inlined_once() -> None:
    inlined = validate._inline_refs(validate._schema())
    assert "$ref" not in repr(inlined) and "$defs" not in inlined
    assert inlined["properties"]["slug"] == validate._schema()["$defs"]["id"]
    with pytest.raises(ValueError, match="recursive"):
        validate._inline_refs({"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"})


def test_the_inlined_schema_is_kept_in_the_users_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = validate._inline_refs(validate._schema())
    assert validate._inlined_schema() == made  # made, then written
    (kept,) = (tmp_path / "sitegen").glob("article-schema-*.json")
    assert json.loads(kept.read_text(encoding="utf-8")) == made
    monkeypatch.setattr(validate, "_inline_refs", lambda schema: pytest.fail("inlined again"))
    assert validate._inlined_schema() == made  # read back
    kept.write_text("{not json", encoding="utf-8")
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert validate._inlined_schema() == made  # an unreadable copy is made again
    assert json.loads(kept.read_text(encoding="utf-8")) == made


def test_a_valid_file_is_checked_without_jsonschema(tmp_path: Path) -> None:
    """jsonschema and referencing (0.07 s to import) are for files the fast validator
    rejects: a valid file, with the inlined schema cached, needs neither."""
    code = (
        "import sys; from pathlib import Path; from sitegen import validate;"
        "from tests.test_check import GOOD;"
        "found = validate.check_text(Path('a.md'), GOOD, None);"
        "assert not [i for i in found.issues if i.level == 'error'], found.issues;"
        "print(sorted({'jsonschema', 'referencing'} & set(sys.modules)))"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    assert [run.returncode for run in runs] == [0, 0], [run.stderr for run in runs]
    assert runs[0].stdout.strip() == "['referencing']"  # the first run inlines the schema
    assert runs[1].stdout.strip() == "[]"


# --- duplicate keys ---------------------------------------------------------------------


def test_duplicate_keys_are_found_on_their_lines_only() -> None:
    head = "\n".join(
        [
            "slug: a",  # line 2
            "title_ar: x",
            "slug : b",  # a duplicate, with a space before ':'
            "summary_ar: |",
            "  slug: inside a block, indented",
            "slug\n: not a key on one line",  # 'slug' then ':' on the next line
            "title_ar:\r",  # CR before the line end still ends the key
            "title_arx: y",
            "slug:b",  # no space after ':': not a key
        ]
    )
    found = [(i.line, i.message) for i in validate._duplicate_keys(head, Path("a.md"))]
    assert found == [
        (4, "duplicate key 'slug' (first on line 2): only this one is kept"),
        (9, "duplicate key 'title_ar' (first on line 3): only this one is kept"),
    ]
