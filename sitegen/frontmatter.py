"""Read and write Markdown files with YAML front-matter, keeping line numbers.

Content files are edited by hand, so every error must point at a file and a
line. PyYAML's composer keeps a source mark on every node; we keep those marks
next to the loaded values so later stages (validation, the site model) can say
"content/articles/x.md:12: unknown official id 'foo'".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

FENCE = "---"


class ContentError(Exception):
    """A problem in a content file, located by file and line (1-based)."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as ISO strings: the contract uses strings."""


# YAML 1.1 would turn 2025-01-29 into a datetime.date and "no" into False;
# content files hold dates as strings and editors type plain words.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# libyaml's emitter is several times faster than PyYAML's pure-Python one
# (YAML writing was a third of ingest's time); both write valid block YAML.
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Readable YAML for editors: Arabic unescaped, block style, stable order."""


def _str_representer(dumper: Any, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)
_Dumper.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


@dataclass
class Document:
    """A content file: its metadata, its body and where each key sits.

    `lines` may be left to find on demand: a Document made with `node` (the
    YAML root its `meta` was constructed from) fills `lines` from it at the
    first `line_of`, since most files never need a line (validation asks only
    when it has something to report).
    """

    path: Path
    meta: dict[str, Any]
    body: str
    body_line: int = 1
    lines: dict[tuple, int] = field(default_factory=dict)
    node: yaml.Node | None = field(default=None, repr=False, compare=False)

    def line_of(self, *key_path: str | int) -> int | None:
        """Line of a key path like ("officials", 2, "id"), or of its nearest parent."""
        if self.node is not None:
            collect_lines(self.node, self.lines)
            self.node = None
        path = tuple(key_path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1

    def error(self, message: str, *key_path: str | int) -> ContentError:
        return ContentError(self.path, self.line_of(*key_path), message)


def split(text: str, path: Path | str = "<string>") -> tuple[str, str, int]:
    """Return (yaml_text, body, body_first_line) of a front-matter document."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(path, 1, "missing front-matter: the file must start with '---'")
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return yaml_text, body.lstrip("\n"), index + 2
    raise ContentError(path, 1, "front-matter is not closed: no second '---' line")


def parse(text: str, path: Path | str = "<string>") -> Document:
    """Parse front-matter text into a Document; YAML errors become ContentError."""
    yaml_text, body, body_line = split(text, path)
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
        meta = yaml.load(yaml_text, Loader=_Loader) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else None  # +1 for 1-based, +1 for the fence
        problem = exc.problem or exc.context or "invalid YAML"
        raise ContentError(path, line, f"YAML syntax error: {problem}") from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "front-matter must be a mapping of keys to values")
    lines: dict[tuple, int] = {}
    if node is not None:
        collect_lines(node, lines)
    return Document(Path(path), meta, body, body_line, lines)


def collect_lines(root: yaml.Node, out: dict[tuple, int]) -> None:
    """Fill `out` with the line of every key path under `root` (a key's own line).

    Walk the node tree of a front-matter (lines are 1-based and counted from
    the file's first line, the fence). A key written twice keeps the line of
    its last occurrence, as its value does.
    """
    out[()] = root.start_mark.line + 2
    _collect_lines(root, (), out)


def _collect_lines(node: yaml.Node, prefix: tuple, out: dict[tuple, int]) -> None:
    # Scalar values need no call: their key's line is the one that counts.
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*prefix, key_node.value)
            if not isinstance(value_node, yaml.ScalarNode):
                _collect_lines(value_node, key, out)
            out[key] = key_node.start_mark.line + 2
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            out[(*prefix, index)] = item.start_mark.line + 2
            if not isinstance(item, yaml.ScalarNode):
                _collect_lines(item, (*prefix, index), out)


def read(path: Path | str) -> Document:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(path, None, f"not UTF-8 text: {exc.reason}") from exc
    return parse(text, path)


def dump_yaml(data: Any) -> str:
    """YAML as editors should see it: Arabic as written, keys in given order."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


def load_yaml(text: str, path: Path | str = "<string>") -> Any:
    """Load a plain YAML data file (registry, settings) with located errors."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ContentError(
            path,
            mark.line + 1 if mark else None,
            f"YAML syntax error: {exc.problem or exc.context}",
        ) from exc


def render(meta: dict[str, Any], body: str) -> str:
    """The text of a content file: front-matter fence, YAML, fence, body."""
    body = body.strip("\n")
    head = f"{FENCE}\n{dump_yaml(meta)}{FENCE}\n"
    return f"{head}\n{body}\n" if body else head


def write(path: Path | str, meta: dict[str, Any], body: str) -> bool:
    """Write a content file atomically; return False when it was already identical."""
    path = Path(path)
    text = render(meta, body)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True
