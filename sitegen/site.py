"""The Site model: articles, events, officials, countries, places, topics, outlets.

Loaded once from `content/` into plain objects with every index the pages
need precomputed (by country, official, topic, outlet, year), so rendering a
page never scans all articles. Nothing here formats text for a language: the
model keeps both the Arabic and the English of every name and lets the
renderer choose.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

import yaml

from sitegen import content
from sitegen.frontmatter import ContentError, split
from sitegen.frontmatter import read as read_document
from sitegen.registry import Registry, load_registry
from sitegen.settings import Settings, load_settings

# Slugs and ids become folder names: nothing that could climb out of public/.
SAFE_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,150}$")
_SENTENCE_END = re.compile(r"[.!?؟\n]")
_DERIVED_TITLE_WORDS = 14


def sha12(text: str) -> str:
    """First 12 hex digits of SHA-256: the `ar_sha` of English provenance."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# --- small value objects -------------------------------------------------------


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day or only to the month ('2025-01')."""

    iso: str

    @property
    def precision(self) -> str:
        return "day" if len(self.iso) == 10 else "month"

    @property
    def year(self) -> int:
        return int(self.iso[:4])

    @cached_property
    def first_day(self) -> date:
        return date.fromisoformat(self.iso if len(self.iso) == 10 else self.iso + "-01")

    @classmethod
    def parse(cls, value: Any) -> PartialDate | None:
        """None for null; ValueError for anything but YYYY-MM-DD or YYYY-MM."""
        if value is None or value == "":
            return None
        text = str(value)
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
            raise ValueError(f"'{text}' is not YYYY-MM-DD or YYYY-MM")
        result = cls(text)
        try:
            result.first_day  # noqa: B018 - raises ValueError for 2025-02-30
        except ValueError as exc:
            raise ValueError(f"'{text}' is not a real date ({exc})") from None
        return result


@dataclass(frozen=True)
class English:
    """An English field with its provenance (`by`) and whether its Arabic changed."""

    text: str
    by: str
    stale: bool


@dataclass(frozen=True)
class OfficialRef:
    """An official as one article names them."""

    id: str | None
    name_ar: str
    name_en: str | None
    role_ar: str | None
    role_en: str | None
    country: str | None
    known: bool


@dataclass(frozen=True)
class PlaceRef:
    id: str | None
    name_ar: str
    name_en: str | None
    country: str | None


# --- articles ------------------------------------------------------------------


@dataclass(eq=False)
class Article:
    slug: str
    source: str
    path: str  # the content file; a string, as 10,000 Path objects are slow to unpickle
    digest: str
    title_ar: str | None
    title_en: English | None
    outlet_ar: str | None
    author_ar: str | None
    published: PartialDate | None
    event_date: PartialDate | None
    dates: list[tuple[str, str]]
    officials: list[OfficialRef]
    countries: list[str]
    places: list[PlaceRef]
    topics: list[str]
    summary_ar: str
    summary_en: English | None
    body_ar: str
    draft: bool = False  # an editor's `draft: true`: left out of the site unless asked for
    outlet: Outlet | None = field(default=None, repr=False)
    event: Event | None = field(default=None, repr=False)

    @property
    def title_is_derived(self) -> bool:
        """True when the text has no headline and the title comes from its opening."""
        return not self.title_ar

    @cached_property
    def display_title_ar(self) -> str:
        return self.title_ar or derived_title(self.summary_ar or self.body_ar) or self.slug

    @cached_property
    def shown_digest(self) -> str:
        """A digest of what pages other than the article's own show of it.

        That is every fact and text but the body, of which only a title made
        from its opening words shows elsewhere: editing the body of an article
        with a headline re-renders its own pages, not every listing of it.
        """
        facts = [getattr(self, f.name) for f in fields(self) if f.name not in _NOT_IN_SHOWN_DIGEST]
        text = repr((facts, self.display_title_ar))
        return hashlib.sha1(text.encode()).hexdigest()

    @property
    def date(self) -> PartialDate | None:
        """The main date: the event's, else the publication's."""
        return self.event_date or self.published

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.date.iso if self.date else "", self.slug)

    @cached_property
    def country_set(self) -> frozenset[str]:
        """Every country the article involves, through officials and places too."""
        codes = set(self.countries)
        codes.update(o.country for o in self.officials if o.country)
        codes.update(p.country for p in self.places if p.country)
        return frozenset(codes)


def derived_title(text: str) -> str:
    """The opening words of a text, for an article that has no headline."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()
    words = first.split()
    if len(words) > _DERIVED_TITLE_WORDS:
        return " ".join(words[:_DERIVED_TITLE_WORDS]) + "…"
    return first


# --- aggregates ------------------------------------------------------------------


# Not digested in `shown_digest`: what only the article's own pages show (its
# whole file is their dependency), the links (digested on their own), and the
# path, which no page shows and which is spelled as `--content` was given: a
# build of `content` after one of `/abs/content` would re-render every page.
_NOT_IN_SHOWN_DIGEST = frozenset({"digest", "body_ar", "outlet", "event", "path"})


@dataclass(eq=False)
class Event:
    """One happening reported by one or more articles."""

    id: str
    date: PartialDate
    articles: list[Article] = field(repr=False)

    @property
    def lead(self) -> Article:
        """The article whose title names the event: a real headline, dated, first."""
        return min(self.articles, key=lambda a: (a.title_is_derived, a.published is None, a.slug))

    @cached_property
    def officials(self) -> list[OfficialRef]:
        return _unique_refs(ref for a in self.articles for ref in a.officials)

    @cached_property
    def countries(self) -> list[str]:
        return sorted({c for a in self.articles for c in a.country_set})


@dataclass(eq=False)
class Person:
    """An official across the dossier: registry facts first, then the articles'."""

    id: str
    name_ar: str
    name_en: str | None
    role_ar: str | None
    role_en: str | None
    country: str | None
    known: bool
    articles: list[Article] = field(default_factory=list, repr=False)
    met: list[tuple[Person, int]] = field(default_factory=list, repr=False)
    # The article this official's non-registry facts come from (slug order).
    source: Article | None = field(default=None, repr=False)


@dataclass(eq=False)
class Place:
    id: str
    name_ar: str
    name_en: str | None
    country: str | None
    articles: list[Article] = field(default_factory=list, repr=False)
    source: Article | None = field(default=None, repr=False)


@dataclass(eq=False)
class Outlet:
    id: str
    name_ar: str
    name_en: str | None
    url: str | None
    articles: list[Article] = field(default_factory=list, repr=False)
    source: Article | None = field(default=None, repr=False)


@dataclass(eq=False)
class Topic:
    slug: str
    name_ar: str
    name_en: str | None
    articles: list[Article] = field(default_factory=list, repr=False)


@dataclass(eq=False)
class Country:
    iso: str
    name_ar: str
    name_en: str
    articles: list[Article] = field(default_factory=list, repr=False)
    officials: list[Person] = field(default_factory=list, repr=False)
    places: list[Place] = field(default_factory=list, repr=False)
    topics: list[tuple[Topic, int]] = field(default_factory=list, repr=False)
    outlets: list[tuple[Outlet, int]] = field(default_factory=list, repr=False)


@dataclass(eq=False)
class Site:
    settings: Settings
    registry: Registry
    articles: list[Article]
    by_slug: dict[str, Article]
    events: list[Event]
    undated: list[Article]
    officials: dict[str, Person]
    countries: dict[str, Country]
    places: dict[str, Place]
    topics: dict[str, Topic]
    outlets: dict[str, Outlet]
    years: list[tuple[int, list[Event]]]
    digest: str  # what any page but an article's own shows of the articles (`site_digest`)
    left_out: tuple[str, ...] = ()  # content files of drafts the site leaves out

    def timeline_of(self, articles: list[Article]) -> tuple[list[Event], list[Article]]:
        """The events a list of articles belongs to (newest first), and its undated ones."""
        seen: dict[str, Event] = {}
        undated = []
        for article in articles:
            if article.event is None:
                undated.append(article)
            else:
                seen.setdefault(article.event.id, article.event)
        return sorted(seen.values(), key=_event_order, reverse=True), undated


def _event_order(event: Event) -> tuple[str, str]:
    return (event.date.iso, event.id)


def _unique_refs(refs) -> list[OfficialRef]:
    out: dict[str, OfficialRef] = {}
    for ref in refs:
        out.setdefault(ref.id or ref.name_ar, ref)
    return list(out.values())


# --- reading content --------------------------------------------------------------


def read_article_file(path: Path) -> tuple[dict, str, str]:
    """(meta, body, digest) of a content file, parsed with libyaml for speed.

    Errors are re-read with the line-keeping reader so they name the line.
    """
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        yaml_text, body, body_line = split(raw.decode("utf-8"), path)
        doc = content.parse_head(yaml_text, body, body_line, path)
    except (yaml.YAMLError, UnicodeDecodeError):
        read_document(path)  # raises the located ContentError
        raise
    return doc.meta, body, digest


def _fail(path: Path, message: str, *key_path: str | int) -> ContentError:
    """A ContentError at the line of `key_path` (the slow reader finds the line)."""
    try:
        return read_document(path).error(message, *key_path)
    except ContentError as exc:
        return exc
    except OSError:
        return ContentError(path, None, message)


def _str(meta: dict, key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    return str(value).strip() or None


def _english(meta: dict, key: str, arabic: str | None) -> English | None:
    text = _str(meta, key)
    if not text:
        return None
    info = meta.get(f"{key}_meta") or {}
    by = str(info.get("by") or "editor") if isinstance(info, dict) else "editor"
    ar_sha = info.get("ar_sha") if isinstance(info, dict) else None
    stale = bool(ar_sha and arabic is not None and str(ar_sha) != sha12(arabic))
    return English(text, by, stale)


def _official_ref(item: Any) -> OfficialRef:
    if not isinstance(item, dict):
        raise ValueError("each official must be a mapping")
    ident = _str(item, "id")
    if ident is not None and not SAFE_SLUG.match(ident):
        raise ValueError(f"official id '{ident}' is not a lower-case ASCII slug")
    name_ar = _str(item, "name_ar") or _str(item, "name_en") or ident or "?"
    country = _str(item, "country")
    return OfficialRef(
        id=ident,
        name_ar=name_ar,
        name_en=_str(item, "name_en"),
        role_ar=_str(item, "role_ar"),
        role_en=_str(item, "role_en"),
        country=country.upper() if country else None,
        known=bool(item.get("known", ident is not None)),
    )


def _place_ref(item: Any) -> PlaceRef:
    if isinstance(item, str):
        item = {"id": item}
    if not isinstance(item, dict):
        raise ValueError("each place must be a mapping or an id")
    ident = _str(item, "id")
    if ident is not None and not SAFE_SLUG.match(ident):
        raise ValueError(f"place id '{ident}' is not a lower-case ASCII slug")
    country = _str(item, "country")
    return PlaceRef(
        id=ident,
        name_ar=_str(item, "name_ar") or _str(item, "name_en") or ident or "?",
        name_en=_str(item, "name_en"),
        country=country.upper() if country else None,
    )


def _list(meta: dict, key: str) -> list:
    value = meta.get(key) or []
    if not isinstance(value, list):
        raise ValueError(f"'{key}' must be a list")
    return value


def article_from(path: Path, meta: dict, body: str, digest: str) -> Article:
    """An Article from front-matter; malformed fields become located ContentErrors."""
    field_name = "slug"
    try:
        slug = _str(meta, "slug") or path.stem
        if not SAFE_SLUG.match(slug):
            raise ValueError(f"slug '{slug}' must be lower-case ASCII letters, digits, '-'")
        title_ar, summary_ar = _str(meta, "title_ar"), _str(meta, "summary_ar") or ""
        values: dict[str, Any] = {}
        for field_name in ("published", "event_date"):
            values[field_name] = PartialDate.parse(meta.get(field_name))
        field_name = "dates"
        dates = [(str(d.get("date")), str(d.get("text") or "")) for d in _list(meta, "dates")]
        field_name = "officials"
        officials = [_official_ref(item) for item in _list(meta, "officials")]
        field_name = "places"
        places = [_place_ref(item) for item in _list(meta, "places")]
        field_name = "countries"
        countries = [str(c).upper() for c in _list(meta, "countries")]
        field_name = "topics"
        topics = [str(t) for t in _list(meta, "topics")]
        if bad := [t for t in topics if not SAFE_SLUG.match(t)]:
            raise ValueError(f"topic '{bad[0]}' is not a slug")
    except (ValueError, AttributeError, TypeError) as exc:
        raise _fail(path, f"{field_name}: {exc}", field_name) from exc
    return Article(
        slug=slug,
        source=_str(meta, "source") or "",
        path=str(path),
        digest=digest,
        title_ar=title_ar,
        title_en=_english(meta, "title_en", title_ar),
        outlet_ar=_str(meta, "outlet_ar"),
        author_ar=_str(meta, "author_ar"),
        dates=dates,
        officials=officials,
        countries=countries,
        places=places,
        topics=topics,
        summary_ar=summary_ar,
        summary_en=_english(meta, "summary_en", summary_ar),
        body_ar=body.strip(),
        draft=meta.get("draft") is True,
        **values,
    )


PARALLEL_READ_MIN = 800


def _read_all(paths: list[Path]) -> list[tuple[dict, str, str]]:
    """Parse the files, in forked workers on large sites (YAML dominates loading)."""
    workers = os.cpu_count() or 1
    if workers < 2 or len(paths) < PARALLEL_READ_MIN or "fork" not in get_all_start_methods():
        return [read_article_file(path) for path in paths]
    with get_context("fork").Pool(workers) as pool:
        return pool.map(read_article_file, paths, chunksize=128)


def read_articles(content_dir: Path) -> list[Article]:
    """Every `articles/*.md`, in slug order; two files with one slug is an error."""
    articles: dict[str, Article] = {}
    paths = sorted((Path(content_dir) / "articles").glob("*.md"))
    for path, parsed in zip(paths, _read_all(paths), strict=True):
        article = article_from(path, *parsed)
        if article.slug in articles:
            other = articles[article.slug].path
            raise _fail(path, f"slug '{article.slug}' is also used by {other}", "slug")
        articles[article.slug] = article
    return [articles[slug] for slug in sorted(articles)]


# --- building the model -------------------------------------------------------------


def load_site(content_dir: Path, settings: Settings | None = None) -> Site:
    """Read `content_dir` (settings, registry, articles) into a Site."""
    content_dir = Path(content_dir)
    settings = settings or load_settings(content_dir)
    registry = load_registry(content_dir)
    return build_site(settings, registry, read_articles(content_dir))


def build_site(
    settings: Settings,
    registry: Registry,
    articles: list[Article],
    outlet_ids: dict[str, str] | None = None,
) -> Site:
    """Link articles to outlets, officials, places, topics, countries and events.

    `outlet_ids` memoises `outlet_id` for this registry (name → id) and is
    filled in; the incremental build keeps it with the registry, so a rebuild
    does not normalise outlet names (camel-tools) at all.
    """
    drafts = [] if settings.drafts else [a for a in articles if a.draft]
    if drafts:
        articles = [a for a in articles if not a.draft]
    # Entities list their reports in time order; sorting once here, each list is
    # filled in that order instead of sorted again (72,000 sort keys at 10,000).
    chrono = sorted(articles, key=_by_date)
    outlets = _outlets(registry, articles, chrono, {} if outlet_ids is None else outlet_ids)
    officials = _people(registry, articles, chrono)
    places = _places(registry, articles)
    topics = _topics(registry, chrono)
    events = group_events(articles, settings)
    countries = _countries(registry, chrono, officials, places, topics)
    years: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        years[event.date.year].append(event)
    undated = sorted(
        (a for a in articles if a.event is None),
        key=lambda a: (a.published.iso if a.published else "", a.slug),
        reverse=True,
    )
    return Site(
        settings=settings,
        registry=registry,
        articles=articles,
        by_slug={a.slug: a for a in articles},
        events=events,
        undated=undated,
        officials=officials,
        countries=countries,
        places=places,
        topics=topics,
        outlets=outlets,
        years=sorted(years.items(), reverse=True),
        digest=site_digest(articles),
        left_out=tuple(a.path for a in drafts),
    )


def site_digest(articles: list[Article]) -> str:
    """What changes with anything shown beyond the articles' own pages (`shown_digest`)."""
    return hashlib.sha256("".join(a.shown_digest for a in articles).encode()).hexdigest()


def outlet_id(name_ar: str, registry: Registry) -> str:
    """The registry id of an outlet, or a stable slug made from its name."""
    known = registry.outlet_for(name_ar)
    if known is not None:
        return known.id
    return "outlet-" + hashlib.sha256(" ".join(name_ar.split()).encode()).hexdigest()[:10]


def _outlets(
    registry: Registry, articles: list[Article], chrono: list[Article], ids: dict[str, str]
) -> dict[str, Outlet]:
    """Outlets by id; an unknown outlet's name comes from its first article by slug."""
    out: dict[str, Outlet] = {}
    for article in articles:
        if not article.outlet_ar:
            continue
        ident = ids.get(article.outlet_ar)
        if ident is None:  # a dossier has a few dozen outlets, named thousands of times
            ident = ids[article.outlet_ar] = outlet_id(article.outlet_ar, registry)
        if ident not in out:
            known = registry.outlets.get(ident)
            out[ident] = Outlet(
                id=ident,
                name_ar=known.name_ar if known else article.outlet_ar,
                name_en=known.name_en if known else None,
                url=known.url if known else None,
                source=None if known else article,
            )
        article.outlet = out[ident]
    for article in chrono:
        if article.outlet is not None:
            article.outlet.articles.append(article)
    return dict(sorted(out.items()))


def _by_date(article: Article) -> tuple[bool, str, str]:
    """Time order: dated first, oldest first; undated at the end."""
    return (article.date is None, article.date.iso if article.date else "", article.slug)


def _people(
    registry: Registry, articles: list[Article], chrono: list[Article]
) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for article in articles:
        for ref in article.officials:
            if ref.id is not None and ref.id not in people:
                person = people[ref.id] = _new_person(ref, registry)
                person.source = article  # non-registry facts come from here
    for article in chrono:
        for ref in article.officials:
            person = people.get(ref.id or "")
            if person is not None and (not person.articles or person.articles[-1] is not article):
                person.articles.append(article)
    for person in people.values():
        met: Counter[str] = Counter()
        for article in person.articles:
            met.update({r.id for r in article.officials if r.id and r.id != person.id})
        person.met = [
            (people[i], n) for i, n in sorted(met.items(), key=lambda item: (-item[1], item[0]))
        ]
    return dict(sorted(people.items()))


def _new_person(ref: OfficialRef, registry: Registry) -> Person:
    known = registry.officials.get(ref.id or "")
    if known is None:
        return Person(
            ref.id or "", ref.name_ar, ref.name_en, ref.role_ar, ref.role_en, ref.country, False
        )
    return Person(
        id=known.id,
        name_ar=known.aliases_ar[0] if known.aliases_ar else ref.name_ar,
        name_en=known.name_en,
        role_ar=known.role_ar or ref.role_ar,
        role_en=known.role_en or ref.role_en,
        country=known.country or ref.country,
        known=True,
    )


def _places(registry: Registry, articles: list[Article]) -> dict[str, Place]:
    places: dict[str, Place] = {}
    for article in articles:
        for ref in article.places:
            if ref.id is None:
                continue
            if ref.id not in places:
                known = registry.places.get(ref.id)
                places[ref.id] = Place(
                    id=ref.id,
                    name_ar=known.name_ar if known else ref.name_ar,
                    name_en=known.name_en if known else ref.name_en,
                    country=(known.country if known else None) or ref.country,
                    source=article,
                )
            places[ref.id].articles.append(article)
    return dict(sorted(places.items()))


def _topics(registry: Registry, chrono: list[Article]) -> dict[str, Topic]:
    topics: dict[str, Topic] = {
        slug: Topic(slug, entry.ar, entry.en) for slug, entry in registry.topics.items()
    }
    for article in chrono:
        for slug in article.topics:
            topic = topics.get(slug) or topics.setdefault(
                slug, Topic(slug, slug.replace("_", " "), None)
            )
            topic.articles.append(article)
    return {slug: topics[slug] for slug in sorted(topics) if topics[slug].articles}


def _countries(
    registry: Registry,
    chrono: list[Article],
    people: dict[str, Person],
    places: dict[str, Place],
    topics: dict[str, Topic],
) -> dict[str, Country]:
    countries: dict[str, Country] = {}

    def country(iso: str) -> Country:
        if iso not in countries:
            countries[iso] = Country(
                iso, registry.country_name(iso, "ar"), registry.country_name(iso, "en")
            )
        return countries[iso]

    for article in chrono:
        for iso in sorted(article.country_set):
            country(iso).articles.append(article)
    for person in people.values():
        if person.country:
            country(person.country).officials.append(person)
    for place in places.values():
        if place.country:
            country(place.country).places.append(place)
    for entry in countries.values():
        entry.topics = _ranked(Counter(topics[t] for a in entry.articles for t in a.topics))
        entry.outlets = _ranked(Counter(a.outlet for a in entry.articles if a.outlet))
    return dict(sorted(countries.items()))


def _ranked(counts: Counter) -> list:
    """(entity, count) pairs, most frequent first, ties by id for stable output."""
    return sorted(counts.items(), key=lambda item: (-item[1], _ident(item[0])))


def _ident(entity: Any) -> str:
    return getattr(entity, "id", None) or entity.slug


# --- events ----------------------------------------------------------------------------


def group_events(articles: list[Article], settings: Settings) -> list[Event]:
    """Group dated articles reporting one happening into events, newest first.

    Two articles are one happening when their main dates lie within
    `event_window_days` (a month-only date only meets the same month) and they
    share a foreign official, or a place and a foreign country, or the same
    set of foreign countries. Groups are closed transitively.
    """
    dated = sorted((a for a in articles if a.event_date), key=lambda a: (a.event_date.iso, a.slug))
    parent = list(range(len(dated)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    keys = [_happening_key(a, settings.home_country) for a in dated]
    for i, article in enumerate(dated):
        j = i - 1
        while j >= 0 and _close(dated[j].event_date, article.event_date, settings):
            if _same_happening(keys[i], keys[j]):
                parent[root(i)] = root(j)
            j -= 1
    groups: dict[int, list[Article]] = defaultdict(list)
    for i, article in enumerate(dated):
        groups[root(i)].append(article)
    events = []
    for members in groups.values():
        first = members[0]
        event = Event(id=first.slug, date=first.event_date, articles=members)
        for article in members:
            article.event = event
        events.append(event)
    return sorted(events, key=_event_order, reverse=True)


def _close(a: PartialDate, b: PartialDate, settings: Settings) -> bool:
    if a.precision == "month" or b.precision == "month":
        return a.iso[:7] == b.iso[:7]
    return abs((b.first_day - a.first_day).days) <= settings.event_window_days


def _happening_key(article: Article, home: str) -> tuple[str, frozenset, frozenset, frozenset]:
    people = frozenset(o.id for o in article.officials if o.id and o.country != home)
    countries = frozenset(c for c in article.country_set if c != home)
    places = frozenset(p.id for p in article.places if p.id)
    precision = article.event_date.precision if article.event_date else ""
    return precision, people, countries, places


def _same_happening(a: tuple, b: tuple) -> bool:
    if a[0] != b[0]:
        return False
    _, people_a, countries_a, places_a = a
    _, people_b, countries_b, places_b = b
    if people_a & people_b:
        return True
    if places_a & places_b and countries_a & countries_b:
        return True
    return bool(countries_a) and countries_a == countries_b
