"""Content files: extracted facts become editable Markdown, and re-ingest keeps edits.

A content file (`content/articles/<slug>.md`, format in docs/DESIGN.md) is where
machine and editor meet. Ingest writes the facts; an editor corrects them; the
next ingest must not undo the correction. So ingest records, per field, a hash
of the value it wrote (`ingest.fields`): a field whose value no longer matches
its hash was edited by hand and is kept, every other field takes the new
extraction. English fields belong to `translate` and editors; ingest copies
them through untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from slugify import slugify

from sitegen import frontmatter
from sitegen.facts import FACT_KEYS
from sitegen.frontmatter import ContentError, Document

BODY_FIELD = "body_ar"
# Facts that ingest owns (FACTS.md keys), in the order they appear in a file;
# the body goes below the front-matter and the source is kept apart.
FACT_FIELDS = tuple(key for key in FACT_KEYS if key not in ("source", BODY_FIELD))
# The documented key order. Keys ingest does not own (English fields written by
# translate or editors, keys an editor added) are copied through untouched.
KEY_ORDER = (
    "slug",
    "source",
    "title_ar",
    "title_en",
    "title_en_meta",
    "outlet_ar",
    "author_ar",
    "published",
    "event_date",
    "dates",
    "officials",
    "countries",
    "places",
    "topics",
    "summary_ar",
    "summary_en",
    "summary_en_meta",
)
INGEST_KEY = "ingest"
SLUG_MAX = 60
ARTICLES_DIR = "articles"
_SOURCE_LINE = re.compile(r"^source:\s*['\"]?(.+?)['\"]?\s*$", re.MULTILINE)


def value_hash(value: Any) -> str:
    """Short hash of a field value, the same however YAML lays the value out."""
    if isinstance(value, str):
        value = value.strip()
    text = _HASH_JSON.encode(value)  # json.dumps with the same options, encoder made once
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plain(value: Any) -> Any:
    """A deep copy made only of dict/list/str/int/bool/None.

    Shared sub-objects would otherwise be dumped as YAML anchors (&id001),
    which editors cannot be expected to understand.
    """
    return json.loads(_PLAIN_JSON.encode(value))


def _jsonable(value: Any) -> Any:
    """Dates as ISO strings and sets as sorted lists, as the content format has them."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot store a {type(value).__name__} in a content file: {value!r}")


# The encoders json.dumps would build on every call with these options.
_HASH_JSON = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_jsonable
)
_PLAIN_JSON = json.JSONEncoder(ensure_ascii=False, default=_jsonable)


# --- slugs ----------------------------------------------------------------------


def make_slug(
    facts: Mapping[str, Any],
    taken: Iterable[str] = (),
    country_name=None,
    home: str | None = None,
) -> str:
    """A readable ASCII slug: date, who, where (else words of the title), made unique.

    When the short form is taken (the same official in the same city, undated),
    the next official's name is added before falling back to a number.
    `country_name(iso) -> str` gives English country names when no place is
    known; `home` is the site's own country, the least telling one. The slug
    is chosen once, at first ingest, and never changed.
    """
    taken = set(taken)
    date, where = _date_part(facts), _where_part(facts, country_name, home)
    who = _surnames(facts)
    title = ""
    if len([p for p in (*who[:1], where) if p]) < 2:
        words = facts.get("title_ar") or facts.get("summary_ar") or ""
        title = slugify(str(words), max_length=40, word_boundary=True)
    candidates = [[date, *who[:1], where, title], [date, *who[:2], where, title]]
    bases = [_slug_of(c) for c in candidates]
    if not bases[0] or bases[0] == date:
        stem = slugify(Path(str(facts.get("source") or "article")).stem, max_length=30)
        bases = ["-".join(p for p in (bases[0], stem or "article") if p)]
    for base in bases:
        if base not in taken:
            return base
    return unique_slug(bases[0], taken)


def _slug_of(parts: list[str]) -> str:
    return slugify("-".join(filter(None, parts)), max_length=SLUG_MAX, word_boundary=True)


def unique_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _date_part(facts: Mapping[str, Any]) -> str:
    date = facts.get("event_date") or facts.get("published")
    return str(date) if isinstance(date, str) and re.fullmatch(r"\d{4}(-\d\d){0,2}", date) else ""


def _surnames(facts: Mapping[str, Any]) -> list[str]:
    """The last word of each official's name, English where known, in article order."""
    out: list[str] = []
    for official in facts.get("officials") or []:
        if not isinstance(official, dict):
            continue
        name = _name_slug(str(official.get("name_en") or official.get("name_ar") or ""))
        if name and name.rsplit("-", 1)[-1] not in out:
            out.append(name.rsplit("-", 1)[-1])
    return out


def _where_part(facts: Mapping[str, Any], country_name, home: str | None) -> str:
    """The first place, else the first partner country (not the officials' or site's home)."""
    for place in facts.get("places") or []:
        name = _name_slug(str(place.get("name_en") or place.get("name_ar") or ""))
        if name:
            return name
    officials = facts.get("officials") or []
    homes = {home, officials[0].get("country") if officials else None}
    countries = [iso for iso in facts.get("countries") or [] if isinstance(iso, str)]
    partners = [iso for iso in countries if iso not in homes] or countries
    if not partners:
        return ""
    return _name_slug(country_name(partners[0]) if country_name else partners[0])


@lru_cache(maxsize=8192)
def _name_slug(name: str) -> str:
    """slugify() of a name; the same officials, places and countries recur across articles."""
    return slugify(name)


# --- building and merging -----------------------------------------------------------


@dataclass
class Merged:
    """The content of one article file after (re-)ingest, and the edited fields
    kept against a different extraction."""

    meta: dict[str, Any]
    body: str
    kept: list[str] = field(default_factory=list)


def new_article(facts: Mapping[str, Any], slug: str, source: str, bookkeeping: dict) -> Merged:
    """The content file of an article seen for the first time."""
    values = plain({name: facts.get(name) for name in FACT_FIELDS})
    body = _body(facts)
    meta = _assemble(slug, source, values, {}, {**bookkeeping, "fields": field_hashes(facts)})
    return Merged(meta, body)


def merge_article(doc: Document, facts: Mapping[str, Any], bookkeeping: dict) -> Merged:
    """Re-ingest: edited fields (hash differs from ingest.fields) stay, others update.

    The new recorded hash of every field is that of the new extraction, so a
    field kept as edited stays edited, and one the editor reverts to the
    extraction follows ingest again.
    """
    old = doc.meta
    recorded = _recorded_hashes(old)
    fresh = field_hashes(facts)
    values: dict[str, Any] = {}
    kept: list[str] = []
    for name in FACT_FIELDS:
        if _edited(name, old.get(name), recorded):
            values[name] = old.get(name)
            kept += [name] if value_hash(old.get(name)) != fresh[name] else []
        else:
            values[name] = plain(facts.get(name))
    body = _body(facts)
    if _edited(BODY_FIELD, doc.body, recorded):
        body = doc.body.strip()
        kept += [BODY_FIELD] if value_hash(body) != fresh[BODY_FIELD] else []
    carried = {k: v for k, v in old.items() if k not in (*FACT_FIELDS, INGEST_KEY)}
    carried.setdefault("slug", doc.path.stem)
    meta = _assemble(
        carried.pop("slug"),
        carried.pop("source", None),
        values,
        carried,
        {**bookkeeping, "fields": fresh},
    )
    return Merged(meta, body, kept)


def field_hashes(facts: Mapping[str, Any]) -> dict[str, str]:
    """What `ingest.fields` records: the hash of each value as extracted."""
    hashes = {name: value_hash(facts.get(name)) for name in FACT_FIELDS}
    hashes[BODY_FIELD] = value_hash(_body(facts))
    return hashes


def _body(facts: Mapping[str, Any]) -> str:
    return str(facts.get(BODY_FIELD) or "").strip()


def _recorded_hashes(meta: Mapping[str, Any]) -> dict[str, str]:
    ingest = meta.get(INGEST_KEY)
    fields = ingest.get("fields") if isinstance(ingest, dict) else None
    return fields if isinstance(fields, dict) else {}


def _edited(name: str, current: Any, recorded: Mapping[str, str]) -> bool:
    """A field is edited when its value differs from what ingest last wrote.

    A field ingest never recorded (a file written by hand) counts as edited,
    so a hand-made file is never overwritten.
    """
    return recorded.get(name) != value_hash(current)


def _assemble(
    slug: str,
    source: str | None,
    values: Mapping[str, Any],
    carried: Mapping[str, Any],
    ingest: dict,
) -> dict[str, Any]:
    """Front-matter in the documented key order; keys editors added come last.

    `carried` holds what ingest does not own (English fields with their
    provenance, any key an editor added); it is copied through unchanged.
    """
    merged = {"slug": slug, "source": source, **values, **carried}
    meta = {key: merged[key] for key in KEY_ORDER if key in merged}
    meta.update((k, v) for k, v in carried.items() if k not in meta)
    meta[INGEST_KEY] = ingest
    return meta


# --- reading content -----------------------------------------------------------------


_STR_TAG = "tag:yaml.org,2002:str"


class _FastLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """libyaml loader with the same resolvers as sitegen.frontmatter (dates stay strings).

    Once libyaml has parsed, two Python hooks run per node and make most of a
    load's time: `resolve` (the tag of a plain scalar) and `construct_object`.
    Both take a short way for the common case and give PyYAML's results
    (tests/test_check.py compares them with the stock loader's).
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            for tag, regexp in _RESOLVERS.get(value[:1], _ANY_START):
                if regexp.match(value):
                    return tag
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node.tag == _STR_TAG and node.__class__ is yaml.ScalarNode:
            return node.value  # what construct_yaml_str makes of it
        return super().construct_object(node, deep)


_FastLoader.yaml_implicit_resolvers = frontmatter._Loader.yaml_implicit_resolvers
# Resolvers by the first character of a plain scalar, with those for any start
# appended: the list `resolve` would build on each call.
_ANY_START = tuple(_FastLoader.yaml_implicit_resolvers.get(None, []))
_RESOLVERS = {
    start: (*resolvers, *_ANY_START)
    for start, resolvers in _FastLoader.yaml_implicit_resolvers.items()
    if start is not None
}
# Merge keys (`<<: *base`) are flattened into the node tree as it is
# constructed; a file that may have one is composed again to find lines.
_MAY_MERGE = ("<<", "merge")


def may_merge(yaml_text: str) -> bool:
    """Whether the YAML may hold a merge key, which moves lines in `load_yaml`'s tree."""
    return any(mark in yaml_text for mark in _MAY_MERGE)


def read_document(path: Path, with_lines: bool = False) -> Document:
    """A content file read fast (libyaml); every problem is a located ContentError."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(path, None, f"not UTF-8 text: {exc.reason}") from exc
    return parse_document(text, path, with_lines)


def parse_document(text: str, path: Path, with_lines: bool = False) -> Document:
    """`read_document` on text already read; `with_lines` also locates every key.

    libyaml composes the node tree too, so lines cost little more than the
    load itself (the pure-Python composer of sitegen.frontmatter is ~20x slower).
    """
    yaml_text, body, body_line = frontmatter.split(text, path)
    try:
        return parse_head(yaml_text, body, body_line, path, "now" if with_lines else "none")
    except yaml.YAMLError:
        return frontmatter.parse(text, path)  # raises with the line of the error


def parse_head(
    yaml_text: str, body: str, body_line: int, path: Path, lines: str = "none"
) -> Document:
    """A Document from a front-matter split off its file, in one libyaml pass.

    `lines` is "now" (every key's line), "lazy" (found at the first
    `Document.line_of`, from the same node tree) or "none". Raises
    yaml.YAMLError, which has no usable line: `parse_document` then asks the
    pure-Python parser, whose error names it.
    """
    meta, node = load_yaml(yaml_text)
    if lines != "none" and node is not None and may_merge(yaml_text):
        node = yaml.compose(yaml_text, Loader=_FastLoader)  # the tree before flattening
    meta = meta or {}
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "front-matter must be a mapping of keys to values")
    doc = Document(path, meta, body, body_line)
    if lines == "now" and node is not None:
        frontmatter.collect_lines(node, doc.lines)
    elif lines == "lazy":
        doc.node = node
    return doc


def load_yaml(yaml_text: str) -> tuple[Any, yaml.Node | None]:
    """`yaml.load` by libyaml, keeping the node tree the data was constructed from.

    Raises yaml.YAMLError without a usable line: the pure-Python reader of
    sitegen.frontmatter then reads the text again to name it.
    """
    loader = _FastLoader(yaml_text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def article_files(content_dir: Path) -> list[Path]:
    folder = Path(content_dir) / ARTICLES_DIR
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def load_articles(content_dir: Path) -> list[Document]:
    """Every article of `content_dir/articles`, sorted by file name, with line numbers."""
    return [read_document(path, with_lines=True) for path in article_files(content_dir)]


def source_of_broken_file(path: Path) -> str | None:
    """The `source:` of a file whose YAML does not parse, found by its line."""
    try:
        match = _SOURCE_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    return match.group(1) if match else None


def source_key(raw_path: Path, content_dir: Path) -> str:
    """How a raw file is named in `source:`: relative to the project, POSIX slashes.

    The project is the folder holding content/, so the key does not depend on
    the directory ingest is run from.
    """
    raw = Path(os.path.abspath(raw_path))
    for base in (Path(os.path.abspath(content_dir)).parent, Path.cwd()):
        try:
            return raw.relative_to(base).as_posix()
        except ValueError:
            continue
    return raw.as_posix()


def source_path(source: str, content_dir: Path) -> Path:
    """Where the raw file named by `source:` should be on disk."""
    path = Path(source)
    return path if path.is_absolute() else Path(os.path.abspath(content_dir)).parent / path
