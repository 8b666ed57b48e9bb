"""The registry: known officials, places, outlets and topics, plus countries from CLDR.

Everything an editor may need to extend lives in `content/registry/*.yaml`;
country names in both languages come from Babel so nobody types them by hand.
Load errors name the file and line, like every other content error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, wraps
from pathlib import Path
from typing import Any, TypeVar

import yaml
from babel import Locale

from sitegen.content import load_yaml, may_merge
from sitegen.frontmatter import ContentError, _Loader

# CLDR territory codes that are two letters but not countries.
_NOT_COUNTRIES = frozenset({"ZZ", "QO", "EZ", "UN", "XA", "XB"})
_REPO_CONTENT = Path(__file__).resolve().parent.parent / "content"


_Built = TypeVar("_Built")


def per_registry(build: Callable[[Registry], _Built]) -> Callable[[Registry], _Built]:
    """`build` run once per registry object: what extraction compiles from it.

    A registry is mutable (unhashable), so it is told apart by identity; a registry
    loaded again (serve, after an edit) is a new object and gets its own build.
    """
    built: dict[int, tuple[Registry, _Built]] = {}

    @wraps(build)
    def once(registry: Registry) -> _Built:
        cached = built.get(id(registry))
        if cached is None or cached[0] is not registry:
            cached = built[id(registry)] = (registry, build(registry))
        return cached[1]

    return once


@dataclass(frozen=True)
class Official:
    id: str
    name_en: str
    aliases_ar: tuple[str, ...] = ()
    aliases_latin: tuple[str, ...] = ()
    role_ar: str | None = None
    role_en: str | None = None
    country: str | None = None

    @property
    def name_ar(self) -> str:
        return self.aliases_ar[0] if self.aliases_ar else self.name_en


@dataclass(frozen=True)
class Place:
    id: str
    name_en: str
    aliases_ar: tuple[str, ...] = ()
    country: str | None = None
    capital: bool = False

    @property
    def name_ar(self) -> str:
        return self.aliases_ar[0] if self.aliases_ar else self.name_en


@dataclass(frozen=True)
class Outlet:
    id: str
    name_ar: str
    name_en: str | None = None
    aliases_ar: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Topic:
    slug: str
    en: str
    ar: str
    cues_ar: tuple[str, ...] = ()


@dataclass
class Registry:
    officials: dict[str, Official] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    outlets: dict[str, Outlet] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    country_forms: dict[str, dict] = field(default_factory=dict)
    _outlet_keys: dict[tuple[str, ...], Outlet] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # Imported here: sitegen.extract imports this module, and loading the
        # registry must not need the extractor loaded first.
        from sitegen.extract.text import phrase_key

        for outlet in self.outlets.values():
            for name in (outlet.name_ar, *outlet.aliases_ar):
                self._outlet_keys.setdefault(phrase_key(name), outlet)

    def country_name(self, iso: str, lang: str) -> str:
        """The CLDR name of a country ('EU' included) in 'ar' or 'en'."""
        return _territories(lang).get(iso.upper(), iso)

    def is_country_code(self, iso: str) -> bool:
        """True for an ISO 3166-1 alpha-2 code CLDR knows, or 'EU'."""
        return iso in _country_codes()

    def outlet_for(self, name_ar: str) -> Outlet | None:
        """The registered outlet whose name or alias normalises like `name_ar`."""
        from sitegen.extract.text import phrase_key

        return self._outlet_keys.get(phrase_key(name_ar))


@cache
def _territories(lang: str) -> dict[str, str]:
    return dict(Locale.parse(lang).territories)


@cache
def _country_codes() -> frozenset[str]:
    codes = {
        code
        for code in _territories("en")
        if len(code) == 2 and code.isalpha() and code.isupper() and code not in _NOT_COUNTRIES
    }
    return frozenset(codes | {"EU"})


# --- loading ------------------------------------------------------------------


def _read(path: Path) -> tuple[Any, yaml.Node | None]:
    """Data and node tree of a YAML file (nodes give line numbers)."""
    if not path.exists():
        return None, None
    text = path.read_text(encoding="utf-8")
    try:  # libyaml: the pure-Python reader takes 0.1 s more for the registry
        data, node = load_yaml(text)
        if not may_merge(text):
            return data, node
    except yaml.YAMLError:
        pass  # libyaml's error has no usable line
    return _read_located(path, text)


def _read_located(path: Path, text: str) -> tuple[Any, yaml.Node | None]:
    """`_read` by the pure-Python reader, whose errors name their line."""
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ContentError(path, line, f"YAML syntax error: {exc.problem or exc.context}") from exc
    return data, node


def _line(node: yaml.Node | None, index: int | str | None = None) -> int | None:
    """1-based line of item `index` (sequence) or key `index` (mapping) of `node`."""
    if node is None:
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(index, int):
        return node.value[index].start_mark.line + 1
    if isinstance(node, yaml.MappingNode) and index is not None:
        for key_node, _value in node.value:
            if key_node.value == str(index):
                return key_node.start_mark.line + 1
    return node.start_mark.line + 1


def _strings(value: Any, path: Path, line: int | None, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(path, line, f"{what} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _opt_str(entry: dict, name: str, path: Path, line: int | None) -> str | None:
    value = entry.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ContentError(path, line, f"'{name}' must be a string")
    return value.strip()


def _req_str(entry: dict, name: str, path: Path, line: int | None) -> str:
    value = _opt_str(entry, name, path, line)
    if value is None:
        raise ContentError(path, line, f"missing '{name}'")
    return value


def _entries(path: Path) -> list[tuple[dict, int | None]]:
    """The mapping items of a list file, each with its line."""
    data, node = _read(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise ContentError(path, _line(node), "expected a list of entries")
    out = []
    for index, entry in enumerate(data):
        line = _line(node, index)
        if not isinstance(entry, dict):
            raise ContentError(path, line, "each entry must be a mapping")
        out.append((entry, line))
    return out


def _identified_entries(path: Path) -> list[tuple[str, dict, int | None]]:
    """The entries of a list file with their checked, unique ids."""
    seen: set[str] = set()
    out = []
    for entry, line in _entries(path):
        ident = _req_str(entry, "id", path, line)
        _check_id(ident, seen, path, line)
        out.append((ident, entry, line))
    return out


def _check_id(ident: str, seen: set[str], path: Path, line: int | None) -> None:
    if not ident.isascii() or ident != ident.lower() or " " in ident:
        raise ContentError(path, line, f"id '{ident}' must be a lower-case ASCII slug")
    if ident in seen:
        raise ContentError(path, line, f"duplicate id '{ident}'")
    seen.add(ident)


def _check_country(code: str | None, path: Path, line: int | None) -> str | None:
    if code is None:
        return None
    code = code.upper()
    if code not in _country_codes():
        raise ContentError(path, line, f"unknown country code '{code}' (ISO 3166-1 alpha-2)")
    return code


def _load_officials(path: Path) -> dict[str, Official]:
    out: dict[str, Official] = {}
    for ident, entry, line in _identified_entries(path):
        out[ident] = Official(
            id=ident,
            name_en=_req_str(entry, "name_en", path, line),
            aliases_ar=_strings(entry.get("aliases_ar"), path, line, "aliases_ar"),
            aliases_latin=_strings(entry.get("aliases_latin"), path, line, "aliases_latin"),
            role_ar=_opt_str(entry, "role_ar", path, line),
            role_en=_opt_str(entry, "role_en", path, line),
            country=_check_country(_opt_str(entry, "country", path, line), path, line),
        )
    return out


def _load_places(path: Path) -> dict[str, Place]:
    out: dict[str, Place] = {}
    for ident, entry, line in _identified_entries(path):
        out[ident] = Place(
            id=ident,
            name_en=_req_str(entry, "name_en", path, line),
            aliases_ar=_strings(entry.get("aliases_ar"), path, line, "aliases_ar"),
            country=_check_country(_opt_str(entry, "country", path, line), path, line),
            capital=bool(entry.get("capital", False)),
        )
    return out


def _load_outlets(path: Path) -> dict[str, Outlet]:
    out: dict[str, Outlet] = {}
    for ident, entry, line in _identified_entries(path):
        out[ident] = Outlet(
            id=ident,
            name_ar=_req_str(entry, "name_ar", path, line),
            name_en=_opt_str(entry, "name_en", path, line),
            aliases_ar=_strings(entry.get("aliases_ar"), path, line, "aliases_ar"),
            url=_opt_str(entry, "url", path, line),
        )
    return out


def _mapping(path: Path) -> tuple[dict, yaml.Node | None]:
    data, node = _read(path)
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        raise ContentError(path, _line(node), "expected a mapping")
    return data, node


def _load_topics(path: Path) -> dict[str, Topic]:
    data, node = _mapping(path)
    out: dict[str, Topic] = {}
    for slug, entry in data.items():
        line = _line(node, slug)
        if not isinstance(entry, dict):
            raise ContentError(path, line, f"topic '{slug}' must be a mapping")
        out[str(slug)] = Topic(
            slug=str(slug),
            en=_req_str(entry, "en", path, line),
            ar=_req_str(entry, "ar", path, line),
            cues_ar=_strings(entry.get("cues_ar"), path, line, "cues_ar"),
        )
    return out


def _load_countries(path: Path) -> dict[str, dict]:
    data, node = _mapping(path)
    out: dict[str, dict] = {}
    for code, entry in data.items():
        line = _line(node, code)
        iso = _check_country(str(code), path, line)
        if not isinstance(entry, dict):
            raise ContentError(path, line, f"country '{code}' must be a mapping")
        forms = {k: list(_strings(v, path, line, k)) for k, v in entry.items()}
        out[iso] = forms
    return out


def load_registry(content_dir: Path = Path("content")) -> Registry:
    """Load `content_dir/registry/*.yaml`; a missing file is an empty registry part."""
    base = Path(content_dir) / "registry"
    return Registry(
        officials=_load_officials(base / "officials.yaml"),
        places=_load_places(base / "places.yaml"),
        outlets=_load_outlets(base / "outlets.yaml"),
        topics=_load_topics(base / "topics.yaml"),
        country_forms=_load_countries(base / "countries.yaml"),
    )


@cache
def default_registry() -> Registry:
    """The repository's own registry, loaded once per process."""
    return load_registry(_REPO_CONTENT)


__all__ = [
    "Official",
    "Outlet",
    "Place",
    "Registry",
    "Topic",
    "default_registry",
    "load_registry",
]
