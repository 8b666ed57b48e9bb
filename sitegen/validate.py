"""The checks of `sitegen check` (also run by `build`): every problem names file and line.

Editors correct content files by hand, so a mistake must be found before it
reaches a page and reported where it is. The shape and types of an article's
front-matter are a JSON Schema (`schemas/article.schema.yaml`); what depends on
the registry (official ids, topics, country codes) and across files (duplicate
slugs) is checked here. Errors stop a build; warnings (an official the registry
lacks, English not written yet) stop it only with --strict.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema
import yaml

from sitegen import cachefile, content, frontmatter
from sitegen.frontmatter import ContentError

if TYPE_CHECKING:  # imported where used: only a file the fast validator rejects needs it
    import jsonschema

ERROR = "error"
WARNING = "warning"
_JSON_TYPES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
    "null": "null",
    "integer": "a whole number",
    "number": "a number",
}
_FORMATS = {"date": "YYYY-MM-DD", "date-or-month": "YYYY-MM-DD or YYYY-MM"}
_SCHEMA_URI = "urn:sitegen:article.schema"


@dataclass(frozen=True)
class Issue:
    """One finding: where it is, how bad it is, and what is wrong."""

    path: Path
    line: int | None
    level: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.level}: {self.message}"


# --- entry point ---------------------------------------------------------------------


def validate_content(content_dir: Path, registry: Any = None) -> list[Issue]:
    """All issues of `content_dir`: settings, registry, then articles in file order.

    Without a `registry`, it is loaded; when it does not load, that is an
    error and the checks that need it are skipped rather than flooding the
    report with unknown ids.
    """
    content_dir = Path(content_dir)
    issues = _check_settings(content_dir)
    if registry is None:
        registry = _load_registry(content_dir, issues)
    if registry is not None:
        issues.extend(check_registry_ids(content_dir, registry))
    slugs: dict[str, Path] = {}
    sources: dict[str, Path] = {}
    for path in content.article_files(content_dir):
        issues.extend(check_article(path, registry, slugs, sources))
    return issues


def errors(issues: list[Issue]) -> list[Issue]:
    return [issue for issue in issues if issue.level == ERROR]


def _check_settings(content_dir: Path) -> list[Issue]:
    from sitegen.settings import load_settings

    try:
        load_settings(content_dir)
    except (ContentError, ValueError, TypeError) as exc:
        return [_from_error(exc, content_dir / "site.yaml")]
    return []


def _load_registry(content_dir: Path, issues: list[Issue]):
    from sitegen.registry import load_registry

    try:
        return load_registry(content_dir)
    except ContentError as exc:
        issues.append(_from_error(exc, content_dir / "registry"))
        return None


def check_registry_ids(content_dir: Path, registry: Any) -> list[Issue]:
    """Registry ids become URL path segments (/officials/<id>/): they must be safe."""
    base = Path(content_dir) / "registry"
    pattern = re.compile(_schema()["$defs"]["id"]["pattern"])
    issues = []
    tables = {"officials": registry.officials, "places": registry.places}
    tables["outlets"] = registry.outlets
    for name, table in tables.items():
        for ident in table:
            if not pattern.match(ident):
                issues.append(_unsafe_id(base / f"{name}.yaml", ident, r"id:\s*['\"]?"))
    topic = re.compile(_schema()["$defs"]["topic"]["pattern"])
    for slug in registry.topics:
        if not topic.match(slug):
            issues.append(_unsafe_id(base / "topics.yaml", slug, r"^['\"]?"))
    return issues


def _unsafe_id(path: Path, ident: str, before: str) -> Issue:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    match = re.search(before + re.escape(ident), text, re.MULTILINE)
    line = text.count("\n", 0, match.start()) + 1 if match else None
    message = f"'{ident}' is not a safe slug (lower-case ASCII letters, digits and '-')"
    return Issue(path, line, ERROR, message)


def _from_error(exc: Exception, path: Path) -> Issue:
    if isinstance(exc, ContentError):
        return Issue(exc.path, exc.line, ERROR, exc.message)
    return Issue(path, None, ERROR, str(exc))


# --- one article ---------------------------------------------------------------------


def check_article(
    path: Path,
    registry: Any,
    slugs: dict[str, Path] | None = None,
    sources: dict[str, Path] | None = None,
) -> list[Issue]:
    """Issues of one content file; `slugs`/`sources` carry what earlier files used."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [_not_utf8(path, exc)]
    return check_text(path, text, registry, slugs, sources).issues


@dataclass
class Checked:
    """What checking a file found, and its parse for whoever needs it next."""

    issues: list[Issue]
    doc: frontmatter.Document | None = None  # None unless libyaml parsed it


def check_text(
    path: Path,
    text: str,
    registry: Any,
    slugs: dict[str, Path] | None = None,
    sources: dict[str, Path] | None = None,
) -> Checked:
    """`check_article` of a file's text (as read in text mode: universal newlines).

    The file is parsed once: lines are found, when an issue needs one, from
    the node tree its data was made from.
    """
    try:
        head, doc, fast = _parse(text, path)
    except ContentError as exc:
        return Checked([_from_error(exc, path)])
    rules = _ArticleRules(doc.meta, doc.body, registry)
    found = list(rules.run())
    found.extend(_cross_file(doc, path, slugs, sources))
    issues = _duplicate_keys(head, path)
    if found:
        locate = _Locator(head, doc)
        issues += [Issue(path, locate(keys), level, message) for level, message, keys in found]
    issues.sort(key=lambda issue: issue.line or 0)
    return Checked(issues, doc if fast else None)


def _parse(text: str, path: Path) -> tuple[str, frontmatter.Document, bool]:
    """(front-matter text, Document, whether libyaml parsed it) of a file's text."""
    head, body, body_line = frontmatter.split(text, path)
    try:
        return head, content.parse_head(head, body, body_line, path, "lazy"), True
    except yaml.YAMLError:
        return head, frontmatter.parse(text, path), False  # raises with the error's line


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> Issue:
    return Issue(path, None, ERROR, f"not UTF-8 text: {exc.reason}")


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[^\S\n]*:(?:[^\S\n]|$)", re.MULTILINE)


def _duplicate_keys(head: str, path: Path) -> list[Issue]:
    """Top-level keys written twice: YAML keeps the last silently, losing the first."""
    seen: dict[str, int] = {}
    issues = []
    for match in _TOP_KEY.finditer(head):
        key = match.group(1)
        if key not in seen:
            seen[key] = match.start()
            continue
        first, number = (head.count("\n", 0, at) + 2 for at in (seen[key], match.start()))
        message = f"duplicate key '{key}' (first on line {first}): only this one is kept"
        issues.append(Issue(path, number, ERROR, message))
    return issues


def _cross_file(doc, path: Path, slugs, sources) -> Iterator[tuple[str, str, tuple]]:
    slug = doc.meta.get("slug")
    slug = slug if isinstance(slug, str) else path.stem
    if slugs is not None:
        if slug in slugs:
            yield ERROR, f"duplicate slug '{slug}': also used by {slugs[slug]}", ("slug",)
        else:
            slugs[slug] = path
    source = doc.meta.get("source")
    if sources is not None and isinstance(source, str):
        if source in sources:
            yield WARNING, f"source '{source}' is also ingested as {sources[source]}", ("source",)
        else:
            sources[source] = path


class _ArticleRules:
    """The checks of one article's front-matter, as (level, message, key path)."""

    def __init__(self, meta: dict, body: str, registry: Any) -> None:
        self.meta = meta
        self.body = body
        self.registry = registry

    def run(self) -> Iterator[tuple[str, str, tuple]]:
        if not _valid(self.meta):  # the messages come from jsonschema, which is slower
            for error in _validator().iter_errors(self.meta):
                yield ERROR, _schema_message(error), tuple(error.absolute_path)
        yield from self._keys()
        yield from self._slug()
        if self.registry is not None:
            yield from self._officials()
            yield from self._countries()
            yield from self._places()
            yield from self._topics()
        yield from self._english()
        if not self.body.strip():
            yield WARNING, "the article has no text (empty body)", ()

    def _keys(self) -> Iterator[tuple[str, str, tuple]]:
        known = _known_keys()
        for key in self.meta:
            if key not in known:
                yield WARNING, f"unknown key '{key}' (a typo?)", (key,)

    def _slug(self) -> Iterator[tuple[str, str, tuple]]:
        if "slug" not in self.meta:
            yield WARNING, "no 'slug': the file name is used", ()

    def _items(self, key: str) -> Iterator[tuple[int, Any]]:
        value = self.meta.get(key)
        if isinstance(value, list):
            yield from enumerate(value)

    def _officials(self) -> Iterator[tuple[str, str, tuple]]:
        seen: set[str] = set()
        for index, official in self._items("officials"):
            if not isinstance(official, dict):
                continue
            ident, where = official.get("id"), ("officials", index)
            yield from self._country(official.get("country"), (*where, "country"))
            if not isinstance(ident, str):
                continue
            if ident in seen:
                yield WARNING, f"official '{ident}' is listed twice", (*where, "id")
            seen.add(ident)
            if official.get("known") is False:
                name = official.get("name_ar") or ident
                yield (
                    WARNING,
                    f"official '{ident}' ({name}) is not in the registry: "
                    "add them to registry/officials.yaml",
                    (*where, "id"),
                )
            elif ident not in self.registry.officials:
                yield (
                    ERROR,
                    f"unknown official id '{ident}': not in registry/officials.yaml "
                    "(fix the id, add the official, or set known: false)",
                    (*where, "id"),
                )

    def _countries(self) -> Iterator[tuple[str, str, tuple]]:
        for index, iso in self._items("countries"):
            if isinstance(iso, str):
                yield from self._country(iso, ("countries", index))

    def _places(self) -> Iterator[tuple[str, str, tuple]]:
        for index, place in self._items("places"):
            if isinstance(place, dict):
                yield from self._country(place.get("country"), ("places", index, "country"))

    def _country(self, iso: Any, where: tuple) -> Iterator[tuple[str, str, tuple]]:
        if not isinstance(iso, str) or self.registry.is_country_code(iso):
            return
        hint = (
            f" (did you mean '{iso.upper()}'?)"
            if self.registry.is_country_code(iso.upper())
            else ""
        )
        yield ERROR, f"bad country code '{iso}': not an ISO 3166-1 alpha-2 code{hint}", where

    def _topics(self) -> Iterator[tuple[str, str, tuple]]:
        for index, topic in self._items("topics"):
            if isinstance(topic, str) and topic not in self.registry.topics:
                yield (
                    ERROR,
                    f"unknown topic '{topic}': not in registry/topics.yaml",
                    ("topics", index),
                )

    def _english(self) -> Iterator[tuple[str, str, tuple]]:
        from sitegen.translate import is_stale

        for name in ("title", "summary"):
            arabic = self.meta.get(f"{name}_ar")
            if not isinstance(arabic, str) or not arabic.strip():
                continue
            english = self.meta.get(f"{name}_en")
            if not english:
                yield WARNING, f"no English {name} yet (run sitegen translate)", (f"{name}_ar",)
            elif is_stale(self.meta.get(f"{name}_en_meta"), arabic):
                yield (
                    WARNING,
                    f"English {name} was made from an older Arabic {name}: translate it again",
                    (f"{name}_en",),
                )


# --- schema --------------------------------------------------------------------------


@cache
def _schema() -> dict:
    text = resources.files("sitegen").joinpath("schemas/article.schema.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def _known_keys() -> frozenset[str]:
    return frozenset(_schema()["properties"])


@cache
def _fast_validator() -> Callable[[Any], Any]:
    """The schema compiled to Python by fastjsonschema: it only says "valid or not".

    Its `$ref`s are inlined first: fastjsonschema makes each a function call
    that builds the field's name on every call, four times the cost of the
    checks themselves. Where it is stricter than jsonschema (its patterns' `$`
    does not match before a final newline), jsonschema has the last word.
    """
    return fastjsonschema.compile(
        _inlined_schema(),
        formats={"date": _is_date, "date-or-month": _is_date_or_month},
        use_default=False,
        detailed_exceptions=False,
    )


def _valid(meta: Any) -> bool:
    try:
        _fast_validator()(meta)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def _inlined_schema() -> dict:
    """`_inline_refs` of the schema, kept in the user's cache by what it is made from.

    Inlining needs `referencing`, whose import (0.05 s, with jsonschema's 0.07 s)
    was a tenth of a one-article rebuild; the cached copy needs neither.
    """
    schema_text = resources.files("sitegen").joinpath("schemas/article.schema.yaml").read_bytes()
    digest = hashlib.sha256(schema_text + Path(__file__).read_bytes()).hexdigest()[:16]
    path = cachefile.user_cache_home() / f"article-schema-{digest}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    inlined = _inline_refs(_schema())
    with contextlib.suppress(OSError):  # no cache to write: inline again next time
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(inlined, handle, ensure_ascii=False)
        os.replace(tmp, path)
    return inlined


def _inline_refs(schema: dict) -> dict:
    """The schema with every `$ref` replaced by the subschema it points to."""
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    resource = DRAFT202012.create_resource(schema)
    resolver = Registry().with_resource(_SCHEMA_URI, resource).resolver(_SCHEMA_URI)

    def inline(node: Any, refs: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [inline(item, refs) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if ref is None:
            return {key: inline(value, refs) for key, value in node.items() if key != "$defs"}
        if ref in refs or len(node) > 1:
            raise ValueError(f"cannot inline $ref {ref!r}: recursive or with sibling keywords")
        return inline(resolver.lookup(ref).contents, (*refs, ref))

    return inline(schema, ())


@cache
def _validator() -> jsonschema.Draft202012Validator:
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date")(_is_date)
    checker.checks("date-or-month")(_is_date_or_month)
    return jsonschema.Draft202012Validator(_schema(), format_checker=checker)


_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_MONTH = re.compile(r"\d{4}-\d\d")


def _is_date(value: object) -> bool:
    """A real calendar day written YYYY-MM-DD (2025-02-30 and month 13 are not)."""
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        return not isinstance(value, str)  # non-strings are the type check's business
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_date_or_month(value: object) -> bool:
    if isinstance(value, str) and _MONTH.fullmatch(value):
        return 1 <= int(value[5:]) <= 12
    return _is_date(value)


def _field(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "front-matter"


def _schema_message(error: jsonschema.ValidationError) -> str:
    """Schema errors in editors' words, prefixed with the field they concern."""
    where = _field(tuple(error.absolute_path))
    value, kind = error.instance, error.validator
    if kind == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        words = " or ".join(_JSON_TYPES.get(t, t) for t in expected)
        return f"{where}: expected {words}, found {value!r}"
    if kind == "format":
        return f"{where}: impossible date {value!r} (expected {_FORMATS[error.validator_value]})"
    if kind == "pattern" and error.validator_value.startswith("^[a-z0-9]"):
        return f"{where}: {value!r} is not a safe slug (lower-case ASCII letters, digits and '-')"
    if kind == "required":
        return f"{where}: {error.message}"
    if kind == "minLength":
        return f"{where}: must not be empty"
    return f"{where}: {error.message}"


# --- lines ---------------------------------------------------------------------------


class _Locator:
    """Line of a key path: top-level keys by their line in the text, others from the parse."""

    def __init__(self, head: str, doc: frontmatter.Document) -> None:
        self.head = head
        self.doc = doc

    def __call__(self, key_path: tuple) -> int | None:
        if not key_path:
            return 1
        if len(key_path) == 1:
            match = re.search(rf"^{re.escape(str(key_path[0]))}\s*:", self.head, re.MULTILINE)
            if match:
                return self.head.count("\n", 0, match.start()) + 2  # +1 fence, +1 1-based
        return self.doc.line_of(*key_path)
