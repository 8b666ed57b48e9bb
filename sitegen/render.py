"""Routes, the Jinja environment per language, and page rendering.

Rendering is planned as a flat list of `PageJob`s. Each job names its output
path, template, language and the model key it shows, plus a fingerprint of
everything its output depends on; rendering a job is a pure function of the
Site and the job. So jobs can be rendered in any order, in forked workers,
and skipped by a cache when their fingerprint is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from types import MethodType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import Context
from jinja2.visitor import NodeTransformer
from markupsafe import Markup, escape

from sitegen import i18n, markdown
from sitegen.publish import jsonld
from sitegen.site import (
    Article,
    Country,
    Event,
    Outlet,
    PartialDate,
    Person,
    Place,
    Site,
    Topic,
)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = "static"
PARALLEL_MIN_JOBS = 400
CHUNK = 64
# A listing (the timeline, a country's, topic's, outlet's or official's reports)
# longer than this is split: its page shows the latest items and links to one
# page per year, so no page lists thousands of items and a one-article change
# re-renders one year's page instead of every report of the dossier.
SPLIT_FROM = 300
LATEST = 10
ENTITY_TABLES = {
    "official": "officials",
    "country": "countries",
    "topic": "topics",
    "outlet": "outlets",
}
UNDATED = "undated"

# (kind, template, route of the key) — one page per kind and key, in each language.
LIST_PAGES = (
    ("home", "home.html", ""),
    ("timeline", "timeline.html", "timeline/"),
    ("countries", "countries.html", "countries/"),
    ("officials", "officials.html", "officials/"),
    ("topics", "topics.html", "topics/"),
    ("outlets", "outlets.html", "outlets/"),
    ("about", "about.html", "about/"),
    ("articles", "articles.html", "articles/"),  # sends the reader to the timeline
    ("search", "search.html", "search/"),
    ("404", "404.html", "404.html"),
)


# --- routes ---------------------------------------------------------------------------


def route_of(obj: Any) -> str:
    """The language-free path of a model object's page ('articles/x/'), '' for none."""
    if isinstance(obj, Article):
        return f"articles/{obj.slug}/"
    if isinstance(obj, Person):
        return f"officials/{obj.id}/"
    if isinstance(obj, Country):
        return f"countries/{obj.iso.lower()}/"
    if isinstance(obj, Topic):
        return f"topics/{obj.slug}/"
    if isinstance(obj, Outlet):
        return f"outlets/{obj.id}/"
    if isinstance(obj, Place):
        return f"countries/{obj.country.lower()}/#place-{obj.id}" if obj.country else ""
    if isinstance(obj, Event):
        return f"timeline/#event-{obj.id}"
    return ""


def output_path(lang: str | None, route: str) -> str:
    """File written for a route: folders get index.html."""
    path = f"{lang}/{route}" if lang else route
    return path + "index.html" if path.endswith("/") or not path else path


@dataclass(frozen=True)
class PageJob:
    """One page to write: pure function of (Site, job)."""

    path: str
    template: str
    lang: str | None
    route: str
    kind: str
    key: str | None
    fingerprint: str


# --- presentation helpers used by templates -----------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A text as a page shows it: which language it is in and where it came from."""

    text: str
    lang: str
    by: str | None = None
    stale: bool = False
    original: str | None = None
    untranslated: bool = False
    derived: bool = False


@dataclass(frozen=True)
class PageLinks:
    """What a page's head and masthead link to, for one route."""

    canonical: str  # the page itself
    alternates: tuple[tuple[str, str], ...]  # (language, URL of the page) for every language
    default: str  # the page in the default language (hreflang x-default)
    switch: tuple[tuple[str, str, str], ...]  # (language, URL, its own name) for the others
    section: str  # the route's first folder: the menu entry to mark current


class Presenter:
    """Language-aware helpers for one page language (the `L` of templates).

    What every page of a language shows the same is an attribute, computed once:
    reading an attribute from a template costs a third of calling a method.
    """

    def __init__(self, site: Site, lang: str, static_version: str) -> None:
        self.site = site
        self.lang = lang
        self.settings = site.settings
        self.locale = site.settings.locale(lang)
        self.dir = site.settings.direction(lang)
        self.static_version = static_version
        self.prefix = site.settings.url(f"{lang}/")
        self.env: jinja2.Environment | None = None  # set by the Renderer
        self.timeline_split = timeline_is_split(site)
        self._memo: dict[tuple, Any] = {}
        self._ = i18n.translations(lang).gettext
        self.message = i18n.markup_gettext(i18n.translations(lang))  # the templates' `_`
        self.separator = self._(", ")
        self.site_title = site.settings.title(lang)
        self.site_description = site.settings.description(lang)
        self.feed_url = self.url("feed.xml")
        self.stylesheet = self.static("site.css")
        self.other_locales = tuple(
            site.settings.locale(code) for code in site.settings.other_languages(lang)
        )
        self.untranslated_mark = Markup(
            ' <span class="untr" lang="{}">{}</span>'.format(
                escape(lang), escape(self._("not yet translated"))
            )
        )
        draft = escape(self._("draft"))  # beside each link to a draft (a --drafts build)
        self.draft_mark = Markup(f' <span class="draft-mark">{draft}</span>')

    # links
    def route(self, obj: Any) -> str:
        """The route of an object's page; an event is on its year's page when split."""
        if isinstance(obj, Event) and self.timeline_split:
            return f"timeline/{obj.date.year}/#event-{obj.id}"
        return route_of(obj)

    def undated_url(self) -> str:
        """Where the timeline lists its undated reports."""
        return self.url(f"timeline/{UNDATED}/" if self.timeline_split else "timeline/#undated")

    def url(self, target: Any = "", lang: str | None = None) -> str:
        route = target if isinstance(target, str) else self.route(target)
        if lang is None or lang == self.lang:
            return self.prefix + route
        return self.settings.url(f"{lang}/{route}")

    def abs_url(self, route: str, lang: str | None = None) -> str:
        return self.settings.absolute_url(f"{lang or self.lang}/{route}")

    def links(self, route: str) -> PageLinks:
        """The canonical and alternate URLs of a page and its language switcher."""
        languages = self.settings.languages
        return PageLinks(
            canonical=self.abs_url(route),
            alternates=tuple((code, self.abs_url(route, code)) for code in languages),
            default=self.abs_url(route, self.settings.default_language),
            switch=tuple(
                (code, self.url(route, code), i18n.language_name(code))
                for code in self.settings.other_languages(self.lang)
            ),
            section=route.split("/")[0],
        )

    def static(self, name: str) -> str:
        return self.settings.url(f"{STATIC_DIR}/{name}?v={self.static_version}")

    def has_page(self, obj: Any) -> bool:
        return bool(self.route(obj))

    # numbers and dates
    # The HTML helpers below build strings with f-strings and `escape`: Markup.format
    # goes through string.Formatter, several times slower, and they run on every page.
    def num(self, value: int) -> Markup:
        return Markup(f"<bdi>{escape(i18n.format_number(value, self.locale))}</bdi>")

    def option(self, flag: str) -> Markup:
        """A command-line option in running text, left to right even in Arabic, unbroken."""
        return Markup(f'<code dir="ltr">{escape(flag)}</code>')

    def date_text(self, value: PartialDate | None) -> str:
        return i18n.format_partial_date(value.iso, self.locale) if value else ""

    def date(self, value: PartialDate | None) -> Markup:
        key = ("date", value.iso if value else None)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._date(value)
        return found

    def _date(self, value: PartialDate | None) -> Markup:
        if value is None:
            unknown = escape(self._("date unknown"))  # pybabel does not look inside f-strings
            return Markup(f'<span class="nodate">{unknown}</span>')
        iso, text = escape(value.iso), escape(self.date_text(value))
        return Markup(f'<time datetime="{iso}"><bdi>{text}</bdi></time>')

    # names
    def name_text(self, obj: Any) -> str:
        """Plain name in this language, Arabic when there is no English."""
        if isinstance(obj, Article):
            return self.title(obj).text
        english = getattr(obj, "name_en", None)
        return english if self.lang != "ar" and english else obj.name_ar

    def name(self, obj: Any) -> Markup:
        """A name isolated with <bdi>, marked when English is missing."""
        if self.lang == "ar" or getattr(obj, "name_en", None):
            return Markup(f"<bdi>{escape(self.name_text(obj))}</bdi>")
        return Markup(f'<bdi lang="ar">{escape(obj.name_ar)}</bdi>{self.untranslated_mark}')

    def country(self, iso: str) -> Markup:
        key = ("country", iso)
        if key not in self._memo:
            self._memo[key] = self._country(iso)
        return self._memo[key]

    def _country(self, iso: str) -> Markup:
        country = self.site.countries.get(iso)
        name = self.site.registry.country_name(iso, self.lang)
        if country is None:
            return Markup(f"<bdi>{escape(name)}</bdi>")
        return Markup(f'<a href="{escape(self.url(country))}"><bdi>{escape(name)}</bdi></a>')

    def link(self, obj: Any) -> Markup:
        """The name of an object, linked to its page where it has one."""
        key = ("link", type(obj).__name__, _ident(obj) or id(obj))
        if key not in self._memo:
            route = self.route(obj)
            name = self.name(obj)
            self._memo[key] = (
                Markup(f'<a href="{escape(self.prefix + route)}">{name}</a>') if route else name
            )
        return self._memo[key]

    def text(self, shown: Shown) -> Markup:
        """A text as shown on a page, marked with its language when it is not the page's."""
        marks = ""
        if shown.lang != self.lang:
            direction = "rtl" if shown.lang == "ar" else "ltr"
            marks = f' lang="{escape(shown.lang)}" dir="{direction}"'
        html = f"<span{marks}>{escape(shown.text)}</span>"
        return Markup(html + str(self.untranslated_mark) if shown.untranslated else html)

    def title_inline(self, article: Article) -> Markup:
        """An article's title for lists: its language, whether a machine made it, and
        whether it is a draft (shown only by a build with --drafts)."""
        key = ("title_inline", article.slug)
        if key not in self._memo:
            shown = self.title(article)
            html = str(self.text(shown))
            if shown.by and shown.by.startswith("machine:"):
                provenance, mark = escape(self.provenance(shown)), self.message("MT")
                html += f' <span class="mt" title="{provenance}">{mark}</span>'
            if shown.derived:
                mark = self.message("(no headline)")
                html += f' <span class="derived">{mark}</span>'
            if article.draft:
                html += str(self.draft_mark)
            self._memo[key] = Markup(html)
        return self._memo[key]

    def outlet(self, article: Article) -> Markup:
        """The outlet of an article, linked, or a plain 'unknown outlet'."""
        if article.outlet is None:
            return Markup(f'<span class="unknown">{escape(self._("unknown outlet"))}</span>')
        return self.link(article.outlet)

    def join(self, items: Iterable[Any]) -> Markup:
        """Items separated by this language's list comma ('، ' in Arabic)."""
        return Markup(self.separator).join(items)

    def people(self, refs: Iterable[Any]) -> Markup:
        return self.join(self.link(self.person(ref)) for ref in refs)

    def countries(self, codes: Iterable[str]) -> Markup:
        return self.join(self.country(iso) for iso in codes)

    def kept(self, key: tuple, make: Callable[[], Any]) -> Any:
        """`make()` once per key in this language: what many pages show alike (JSON-LD)."""
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = make()
        return found

    def part(self, name: str, section: str = "") -> Markup:
        """A page part that depends only on the language (and section): rendered once."""
        key = ("part", name, section)
        if key not in self._memo:
            assert self.env is not None
            template = self.env.get_template(f"parts/{name}.html")
            self._memo[key] = Markup(template.render(section=section))
        return self._memo[key]

    def fragment(self, name: str, obj: Any) -> Markup:
        """A list item rendered once per language and reused by every list showing it."""
        key = ("fragment", name, _ident(obj))
        if key not in self._memo:
            assert self.env is not None
            template = self.env.get_template(f"fragments/{name}.html")
            context = {"event" if isinstance(obj, Event) else "article": obj}
            self._memo[key] = Markup(template.render(context))
        return self._memo[key]

    def person(self, ref: Any) -> Person | Any:
        """The dossier-wide official for an article's reference, else the reference."""
        return self.site.officials.get(ref.id or "", ref)

    def role_as_named(self, ref: Any) -> Markup:
        """An official's role and country as this article gives them, else the dossier's.

        An official the registry lacks takes the first article's role dossier-wide, and
        an editor may correct one article's: each article page shows its own.
        """
        person = self.person(ref)
        role = self.role(ref if ref.role_ar or ref.role_en else person)
        iso = ref.country or person.country
        return role + Markup(" · ") + self.country(iso) if iso else role

    def role(self, who: Any) -> Markup:
        if self.lang == "ar":
            return escape(who.role_ar or "")
        if who.role_en:
            return escape(who.role_en)
        if who.role_ar:
            return Markup(f'<span lang="ar">{escape(who.role_ar)}</span>{self.untranslated_mark}')
        return Markup("")

    # article texts
    def title(self, article: Article) -> Shown:
        key = ("title", article.slug)
        if key not in self._memo:
            shown = self._localized(
                article.display_title_ar, article.title_en, article.title_is_derived
            )
            self._memo[key] = shown
        return self._memo[key]

    def summary(self, article: Article) -> Shown | None:
        if not article.summary_ar and not article.summary_en:
            return None
        return self._localized(article.summary_ar, article.summary_en, False)

    def _localized(self, arabic: str, english: Any, derived: bool) -> Shown:
        if self.lang == "ar" or (english is None and not arabic):
            return Shown(arabic, "ar", derived=derived)
        if english is None:
            return Shown(arabic, "ar", untranslated=True, derived=derived)
        return Shown(english.text, "en", english.by, english.stale, arabic or None)

    def provenance(self, shown: Shown, what: str = "title") -> str:
        """'Machine translation (Google)', 'Summary generated from extracted facts', …"""
        by = shown.by or ""
        if by.startswith("machine:"):
            provider = by.split(":", 1)[1]
            return self._("Machine translation (%(provider)s)") % {
                "provider": _PROVIDERS.get(provider, provider.title())
            }
        if by == "generated":
            if what == "summary":
                return self._("Summary generated from extracted facts")
            return self._("Title generated from extracted facts")
        return ""

    # lists
    def sort_name(self, obj: Any) -> str:
        return self.name_text(obj).casefold()

    def by_name(self, items: Iterable[Any]) -> list[Any]:
        """Entities in alphabetical order of their name in this language."""
        return sorted(items, key=lambda item: (self.sort_name(item), _ident(item)))

    def ranked(self, items: Iterable[Any], limit: int | None = None) -> list[tuple[Any, int]]:
        """(entity, report count) pairs, most reported first."""
        pairs = sorted(
            ((item, len(item.articles)) for item in items),
            key=lambda pair: (-pair[1], self.sort_name(pair[0]), _ident(pair[0])),
        )
        return pairs[:limit] if limit else pairs

    def officials_by_country(self) -> list[tuple[str | None, list[Person]]]:
        groups: dict[str | None, list[Person]] = {}
        for person in self.site.officials.values():
            groups.setdefault(person.country, []).append(person)
        order = sorted(
            groups,
            key=lambda iso: (iso is None, self.site.registry.country_name(iso or "", self.lang)),
        )
        return [(iso, self.by_name(groups[iso])) for iso in order]

    def place(self, ref: Any) -> Any:
        return self.site.places.get(ref.id or "", ref)

    @staticmethod
    def partial(iso: str) -> PartialDate | None:
        try:
            return PartialDate.parse(iso)
        except ValueError:
            return None

    @staticmethod
    def external(url: str | None) -> str:
        """An outside link only when it is plain http(s)."""
        return url if url and url.startswith(("https://", "http://")) else ""

    def body(self, article: Article) -> Markup:
        """The Arabic text as HTML: the same in every language, so rendered once."""
        return _body_html(article)

    def jsonld(self, data: Any) -> Markup:
        """JSON for a <script> block: '<', '>' and '&' escaped so it cannot end the block."""
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return Markup(text)


def _ident(obj: Any) -> str:
    return str(getattr(obj, "id", None) or getattr(obj, "slug", None) or getattr(obj, "iso", ""))


_PROVIDERS = {
    "google": "Google",
    "deepl": "DeepL",
    "mymemory": "MyMemory",
    "libre": "LibreTranslate",
}


_BODIES: dict[str, Markup] = {}


def _body_html(article: Article) -> Markup:
    html = _BODIES.get(article.digest)
    if html is None:
        html = _BODIES[article.digest] = Markup(markdown.render(article.body_ar))
    return html


# --- listings split by year ------------------------------------------------------------------


@dataclass
class Listing:
    """The reports a page lists: events newest first (an official's reports in time
    order), grouped by year, plus the undated reports."""

    route: str  # the page's route ("timeline/", "countries/ma/")
    events: list[Any]  # Events, or Articles for an official
    undated: list[Article]
    groups: dict[str, list[Any]]  # "2025" … (newest first), then "undated"
    split: bool

    @property
    def years(self) -> list[tuple[str, int]]:
        """(year or 'undated', number of items) for the year links."""
        return [(key, len(items)) for key, items in self.groups.items()]

    def latest(self, limit: int | None = None) -> list[Any]:
        return self.events[: limit or LATEST]

    def year_route(self, key: str) -> str:
        return f"{self.route}{key}/"


def timeline_is_split(site: Site) -> bool:
    return len(site.events) + len(site.undated) > SPLIT_FROM


def listing_of(site: Site, kind: str, key: str | None) -> Listing:
    """The listing of the timeline or of one entity's page."""
    if kind == "timeline":
        events, undated, route = list(site.events), list(site.undated), "timeline/"
    else:
        entity = getattr(site, ENTITY_TABLES[kind])[key]
        route = route_of(entity)
        if kind == "official":
            events = [a for a in entity.articles if a.date is not None]
            undated = [a for a in entity.articles if a.date is None]
        else:
            events, undated = site.timeline_of(entity.articles)
    groups: dict[str, list[Any]] = {}
    for item in events:
        groups.setdefault(str(item.date.year), []).append(item)
    if kind == "official":  # time order inside a year, the newest year first
        groups = dict(sorted(groups.items(), reverse=True))
        events = list(reversed(events))
    if undated:
        groups[UNDATED] = undated
    split = len(events) + len(undated) > SPLIT_FROM
    return Listing(route, events, undated, groups, split)


# --- the renderer ----------------------------------------------------------------------


class _Context(Context):
    """Calls the Presenter's methods straight away.

    Jinja's `Context.call` checks every callable for `pass_context` and friends
    before calling it; for the `L.…` calls that fill a page that check costs more
    than most of the methods. None of them takes the context (`_PLAIN_METHODS`
    holds exactly those that do not), so they skip it. Anything else goes
    through Jinja's own `call`.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # names as in Jinja
        if type(__obj) is not MethodType or __obj.__func__ not in _PLAIN_METHODS:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja's call does
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


_PLAIN_METHODS = frozenset(
    value
    for value in vars(Presenter).values()
    if callable(value) and not hasattr(value, "jinja_pass_arg")
)


def compiled_templates(folder: Path, lang: str) -> jinja2.BytecodeCache:
    """Jinja's compiled templates for one language, in a folder of the build cache.

    Compiling the templates is a third of a second, paid by every `sitegen build`
    process and every serve rebuild; loading them compiled takes milliseconds.
    The messages of a language are compiled in (`_Environment._generate`), so
    the file names carry the language and a digest of the catalogues and of the
    code that compiles them; files of other versions are removed.
    """
    version = _compiler_version()
    prefix = f"{lang}-{version}-"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{lang}-*.cache"):
        if not old.name.startswith(prefix):
            old.unlink(missing_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder), pattern=prefix + "%s.cache")


@cache
def _compiler_version() -> str:
    package = Path(__file__).resolve().parent
    roots = (package / "render.py", package / "i18n.py", package / "locales")
    return tree_digest(*roots)[:16] + f"-{jinja2.__version__}"


class _Environment(jinja2.Environment):
    """A Jinja environment that translates each `_("…")` without variables when it
    compiles a template: the message is then template text like the HTML around it,
    not a call on every page (each language has its own environment and templates)."""

    context_class = _Context

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one dict, not Jinja's ChainMap over the environment's.

        Every render copies them into a new context, and copying a ChainMap is
        several times slower than a dict: it matters for fragments, rendered by
        the ten thousand. The ChainMap would show later changes to the environment's
        globals; a Renderer sets them before it loads any template, and never again.
        """
        return {**self.globals, **(d or {})}

    def _generate(
        self, source: nodes.Template, name: str | None, filename: str | None, defer_init=False
    ) -> str:
        """The template's Python code, its messages inlined, its output escaped by `_escape`."""
        _InlineMessages(self.globals["_"]).visit(source)
        code = super()._generate(source, name, filename, defer_init)
        return f"{code}\nescape = environment.output_escape\n"

    @staticmethod
    def output_escape(value: Any) -> Markup:
        """`markupsafe.escape`, keeping Markup as it is instead of copying it.

        Most of what a page outputs is already Markup (the Presenter's links,
        names, dates): markupsafe makes a new Markup of each, a fifth of the
        time of rendering an article page. The compiled templates call this
        instead (the last line `_generate` adds rebinds their `escape`).
        """
        return value if type(value) is Markup else escape(value)


class _InlineMessages(NodeTransformer):
    """Replaces `_("text")` and `gettext("text")` by the safe translation they return."""

    def __init__(self, translate: Callable[[str], Markup]) -> None:
        self.translate = translate

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        self.generic_visit(node)
        if not (
            isinstance(node.node, nodes.Name)
            and node.node.name in ("_", "gettext")
            and len(node.args) == 1
            and isinstance(node.args[0], nodes.Const)
            and isinstance(node.args[0].value, str)
            and not node.kwargs
            and node.dyn_args is None
            and node.dyn_kwargs is None
        ):
            return node
        text = str(self.translate(node.args[0].value))
        return nodes.MarkSafe(nodes.Const(text, lineno=node.lineno), lineno=node.lineno)


class Renderer:
    """Jinja environments (one per language) and page contexts for one Site."""

    def __init__(
        self, site: Site, templates_dir: Path = TEMPLATES_DIR, compiled_dir: Path | None = None
    ) -> None:
        self.site = site
        self.templates_dir = Path(templates_dir)
        self.compiled_dir = compiled_dir  # Jinja's compiled templates, kept between builds
        self.static_version = tree_digest(self.templates_dir / STATIC_DIR)[:10]
        self.presenters = {
            lang: Presenter(site, lang, self.static_version) for lang in site.settings.languages
        }
        self.envs = {lang: self._environment(lang) for lang in site.settings.languages}
        for lang, env in self.envs.items():
            self.presenters[lang].env = env
        self.root_env = self._environment(site.settings.default_language)
        self._listings: dict[tuple[str, str | None], Listing] = {}

    def listing(self, kind: str, key: str | None) -> Listing:
        found = self._listings.get((kind, key))
        if found is None:
            found = self._listings[(kind, key)] = listing_of(self.site, kind, key)
        return found

    def _environment(self, lang: str) -> jinja2.Environment:
        env = _Environment(
            loader=jinja2.FileSystemLoader(self.templates_dir),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            bytecode_cache=self._compiled(lang),
        )
        catalogue = i18n.translations(lang)
        env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
        cheap = i18n.markup_gettext(catalogue)
        env.globals.update(
            _=cheap,
            gettext=cheap,
            L=self.presenters[lang],
            site=self.site,
            settings=self.site.settings,
            lang=lang,
            dir=self.site.settings.direction(lang),
            languages=self.site.settings.languages,
            gettext_for=lambda code, message: i18n.translations(code).gettext(message),
        )
        return env

    def _compiled(self, lang: str) -> jinja2.BytecodeCache | None:
        return compiled_templates(self.compiled_dir, lang) if self.compiled_dir else None

    def render(self, job: PageJob) -> str:
        env = self.envs[job.lang] if job.lang else self.root_env
        context = {"route": job.route, "kind": job.kind, **_CONTEXT[job.kind](self, job)}
        return env.get_template(job.template).render(context)

    def jsonld(self, job: PageJob) -> Any:
        return jsonld.for_page(self.site, self.presenters[job.lang], job.kind, job.key)


def _article_context(renderer: Renderer, job: PageJob) -> dict:
    article = renderer.site.by_slug[job.key or ""]
    siblings = [a for a in article.event.articles if a is not article] if article.event else []
    return {"article": article, "siblings": siblings, "ld": renderer.jsonld(job)}


def _entity_context(name: str, table: str) -> Callable[[Renderer, PageJob], dict]:
    def build(renderer: Renderer, job: PageJob) -> dict:
        entity = getattr(renderer.site, table)[job.key]
        listing = renderer.listing(job.kind, job.key)
        events, undated = (listing.events, listing.undated) if job.kind != "official" else ([], [])
        return {
            name: entity,
            "events": events,
            "undated": undated,
            "listing": listing,
            "ld": renderer.jsonld(job),
        }

    return build


def _plain(renderer: Renderer, job: PageJob) -> dict:
    return {"ld": renderer.jsonld(job) if job.lang else None}


def _timeline_context(renderer: Renderer, job: PageJob) -> dict:
    return {"listing": renderer.listing("timeline", None), **_plain(renderer, job)}


def _year_context(renderer: Renderer, job: PageJob) -> dict:
    """One year (or the undated reports) of a split listing."""
    kind = job.kind.removesuffix("-year")
    key, year = (job.key or "").rsplit("/", 1)
    listing = renderer.listing(kind, key or None)
    entity = getattr(renderer.site, ENTITY_TABLES[kind])[key] if kind in ENTITY_TABLES else None
    items = listing.groups[year]
    return {
        "listing": listing,
        "entity": entity,
        "parent": kind,
        "year": year,
        "items": items,
        "ld": None,
    }


_CONTEXT: dict[str, Callable[[Renderer, PageJob], dict]] = {
    "article": _article_context,
    "official": _entity_context("person", "officials"),
    "country": _entity_context("country", "countries"),
    "topic": _entity_context("topic", "topics"),
    "outlet": _entity_context("outlet", "outlets"),
    **{kind: _plain for kind, _, _ in LIST_PAGES},
    "timeline": _timeline_context,
    **{f"{kind}-year": _year_context for kind in ("timeline", *ENTITY_TABLES)},
    "root": _plain,
    "root404": _plain,
}


# --- planning -----------------------------------------------------------------------------


def tree_digest(*roots: Path) -> str:
    """SHA-256 over the names and bytes of every file under `roots`."""
    digest = hashlib.sha256()
    for root in roots:
        if not root.exists():
            continue
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def environment_digest(site: Site, templates_dir: Path, content_dir: Path | None) -> str:
    """What every page depends on: code, templates, catalogues, settings, registry."""
    package = Path(__file__).resolve().parent
    roots = [templates_dir, package / "locales", package / "render.py", package / "site.py"]
    roots += [package / "i18n.py", package / "publish" / "jsonld.py"]
    if content_dir is not None:
        roots += [Path(content_dir) / "registry", Path(content_dir) / "site.yaml"]
    settings = repr(site.settings).encode()
    return hashlib.sha256(tree_digest(*roots).encode() + settings).hexdigest()


def _fingerprint(
    base: str, kind: str, key: str | None, lang: str | None, deps: str, extra: str = ""
) -> str:
    text = f"{base}|{kind}|{key}|{lang}|{deps}|{extra}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


SITE_WIDE = "*site"  # the dependency of pages that change with what any article shows
OWN_FILE = "="  # + slug: the dependency of an article's own pages on its whole file


class _Deps:
    """Which articles a page's output depends on, beyond templates and registry.

    A page shows its articles, the other reports of their events, and names of
    officials, places and outlets whose non-registry spelling comes from the
    first article that named them (their `source`). What a listed item shows
    is digested once per event (or undated article): its *closure*, found
    under the item's key (`key_of`). `forget` drops the closures an edited
    article is part of, so a plan can be brought up to date without
    recomputing the others.
    """

    def __init__(self, site: Site) -> None:
        self.site = site
        self._names: dict[str, tuple[Article, ...]] = {}
        self._closures: dict[str, str] = {}
        self._users: dict[str, set[str]] = {}  # article slug -> closure keys it is part of
        self._namings: dict[str, str] = {}

    def names(self, article: Article) -> tuple[Article, ...]:
        found = self._names.get(article.slug)
        if found is None:
            entities = [self.site.officials.get(r.id or "") for r in article.officials]
            entities += [self.site.places.get(p.id or "") for p in article.places]
            entities.append(article.outlet)
            sources = {e.source.slug: e.source for e in entities if e and e.source}
            found = self._names[article.slug] = (article, *sources.values())
        return found

    @staticmethod
    def key_of(item: Article | Event) -> str:
        """The closure key of a listed item: its event's id, or an undated article's slug."""
        article = item.articles[0] if isinstance(item, Event) else item
        return article.event.id if article.event else article.slug

    def closure(self, key: str) -> str:
        """A digest of everything a listed item shows: its event's reports and names.

        Reports count by what a listing shows of them (`Article.shown_digest`:
        not the body); an article's own pages also depend on its whole file
        (the key OWN_FILE + slug). An article that only lends a
        name (the first to name an official, place or outlet the registry
        lacks) counts by the facts that name it, so editing its text does not
        touch every page that shows the name.
        """
        found = self._closures.get(key)
        if found is None:
            if key == SITE_WIDE:
                return self.site.digest
            if key.startswith(OWN_FILE):
                slug = key.removeprefix(OWN_FILE)
                self._users.setdefault(slug, set()).add(key)
                found = self._closures[key] = self.site.by_slug[slug].digest
                return found
            article = self.site.by_slug[key]
            members = article.event.articles if article.event else (article,)
            seen: dict[str, str] = {}
            for member in members:
                seen[member.slug] = member.shown_digest
                self._users.setdefault(member.slug, set()).add(key)
            for member in members:
                for source in self.names(member)[1:]:
                    seen.setdefault(source.slug, self._naming(source))
            text = "".join(seen[slug] for slug in sorted(seen))
            found = self._closures[key] = hashlib.sha1(text.encode()).hexdigest()
        return found

    def _naming(self, article: Article) -> str:
        """A digest of the facts by which an article names officials, places and its outlet."""
        found = self._namings.get(article.slug)
        if found is None:
            facts = repr((article.officials, article.places, article.outlet_ar))
            found = self._namings[article.slug] = hashlib.sha1(facts.encode()).hexdigest()
        return found

    def keys(self, items: Iterable[Article | Event]) -> tuple[str, ...]:
        """The closure keys of what a page lists, in order, each once."""
        return tuple(dict.fromkeys(self.key_of(item) for item in items))

    def of(self, keys: Iterable[str]) -> str:
        """A digest of what a page showing the items of `keys` depends on."""
        return hashlib.sha256("".join(self.closure(key) for key in keys).encode()).hexdigest()

    def forget(self, slugs: Iterable[str]) -> set[str]:
        """Drop the closures that digest these articles (their text was edited); their keys."""
        dropped: set[str] = set()
        for slug in slugs:
            for key in self._users.pop(slug, ()):
                self._closures.pop(key, None)
                dropped.add(key)
        return dropped


def _counts(pairs: Iterable[tuple[Any, int]]) -> list[tuple[str, int]]:
    return [(_ident(entity), n) for entity, n in pairs]


def _entity_extra(kind: str, entity: Any) -> str:
    """What an entity's split page shows beyond its latest reports: counts and indexes."""
    shown: list[Any] = [len(entity.articles)]
    if kind == "official":
        shown += [_counts(entity.met)]
    elif kind == "country":
        shown += [
            [p.id for p in entity.officials],
            [(p.id, len(p.articles)) for p in entity.places],
        ]
        shown += [_counts(entity.topics), _counts(entity.outlets)]
    return repr(shown)


def _home_extra(site: Site) -> str:
    """What the home page shows beyond its latest events: counts and rankings."""
    tables = (site.countries, site.topics, site.officials, site.outlets)
    shown = [len(site.articles), len(site.events), len(site.undated), timeline_is_split(site)]
    shown += [[(key, len(entity.articles)) for key, entity in table.items()] for table in tables]
    return repr(shown)


@dataclass(frozen=True)
class PlannedPage:
    """A page of the site before its fingerprint: what it shows, as closure keys."""

    kind: str
    template: str
    route: str
    key: str | None
    deps: tuple[str, ...]
    extra: str


class Plan:
    """Every page of a site and what each depends on.

    The structure (which pages exist, what each lists) follows from the
    site's facts; the fingerprints also from the articles' texts. After an
    edit that changes texts only (`sitegen serve`'s common case), `refresh`
    recomputes the closures of the edited articles and every fingerprint
    from them, instead of planning the whole site again.
    """

    def __init__(self, site: Site) -> None:
        self.site = site
        self.deps = _Deps(site)
        self.pages = _plan_structure(site, self.deps)
        # The jobs of each page (both languages) for one base digest, and which
        # pages list each closure key: a refresh re-plans only pages it touches.
        self._base = ""
        self._jobs: list[list[PageJob] | None] = [None] * len(self.pages)
        self._pages_of: dict[str, list[int]] = {}
        for index, page in enumerate(self.pages):
            for key in page.deps:
                self._pages_of.setdefault(key, []).append(index)

    def refresh(self, edited: Iterable[str]) -> None:
        """The texts of these articles changed (their facts did not)."""
        for key in [*self.deps.forget(edited), SITE_WIDE]:
            for index in self._pages_of.get(key, ()):
                self._jobs[index] = None

    def jobs(self, base_digest: str) -> list[PageJob]:
        """Every page, in both languages, with its fingerprint."""
        if base_digest != self._base:
            self._base, self._jobs = base_digest, [None] * len(self.pages)
        jobs: list[PageJob] = []
        for index, page in enumerate(self.pages):  # both languages side by side
            planned = self._jobs[index]
            if planned is None:
                planned = self._jobs[index] = self._page_jobs(page, base_digest)
            jobs.extend(planned)
        for kind, path in (("root", "index.html"), ("root404", "404.html")):
            fingerprint = _fingerprint(base_digest, kind, None, None, "")
            jobs.append(PageJob(path, "root.html", None, "", kind, None, fingerprint))
        return jobs

    def _page_jobs(self, page: PlannedPage, base_digest: str) -> list[PageJob]:
        deps = self.deps.of(page.deps)
        return [
            PageJob(
                output_path(lang, page.route),
                page.template,
                lang,
                page.route,
                page.kind,
                page.key,
                _fingerprint(base_digest, page.kind, page.key, lang, deps, page.extra),
            )
            for lang in self.site.settings.languages
        ]


def plan_pages(site: Site, base_digest: str) -> list[PageJob]:
    """Every page of the site, in both languages, with its fingerprint."""
    return Plan(site).jobs(base_digest)


def _plan_structure(site: Site, deps: _Deps) -> list[PlannedPage]:
    pages: list[PlannedPage] = []
    split = timeline_is_split(site)
    for kind, template, route in LIST_PAGES:
        if kind == "home":
            shown: list[Any] = list(site.events[:8])
            shown += [e.source for e in (*site.officials.values(), *site.outlets.values())]
            keys = deps.keys(e for e in shown if e)
            pages.append(PlannedPage(kind, template, route, None, keys, _home_extra(site)))
        elif kind == "timeline" and split:
            listing = listing_of(site, kind, None)
            _split_pages(pages, deps, listing, kind, "", [], repr(listing.years))
        else:
            pages.append(PlannedPage(kind, template, route, None, (SITE_WIDE,), repr(split)))
    for article in site.articles:
        keys = (*deps.keys([article]), OWN_FILE + article.slug)
        pages.append(
            PlannedPage(
                "article", "article.html", route_of(article), article.slug, keys, repr(split)
            )
        )
    for kind, table in ENTITY_TABLES.items():
        for key, entity in getattr(site, table).items():
            _entity_pages(pages, deps, site, kind, key, entity, split)
    return pages


def _entity_pages(pages, deps: _Deps, site: Site, kind: str, key: str, entity, split) -> None:
    sources: list[Article] = []
    if kind == "official":
        sources = [other.source for other, _ in entity.met if other.source]
        sources += [entity.source] if entity.source else []
    elif kind == "country":
        sources = [e.source for e in (*entity.officials, *entity.places) if e.source]
    elif kind == "outlet" and entity.source:
        sources = [entity.source]
    listing = listing_of(site, kind, key)
    if listing.split:
        extra = repr(listing.years) + _entity_extra(kind, entity) + repr(split)
        _split_pages(pages, deps, listing, kind, key, sources, extra)
    else:
        keys = deps.keys([*entity.articles, *sources])
        pages.append(PlannedPage(kind, f"{kind}.html", route_of(entity), key, keys, repr(split)))


def _split_pages(pages, deps: _Deps, listing: Listing, kind, key, sources, extra) -> None:
    """A split listing's page (its latest reports) and one page per year."""
    latest = listing.latest(jsonld.TIMELINE_ITEMS if kind == "timeline" else LATEST)
    keys = deps.keys([*latest, *sources])
    pages.append(PlannedPage(kind, f"{kind}.html", listing.route, key or None, keys, extra))
    for year, items in listing.groups.items():
        keys = deps.keys([*items, *sources])
        route = listing.year_route(year)
        pages.append(PlannedPage(f"{kind}-year", "year.html", route, f"{key}/{year}", keys, extra))


# --- writing ---------------------------------------------------------------------------------

_WORKER: Renderer | None = None
_WORKER_OUT: Path | None = None


def write_page(renderer: Renderer, job: PageJob, out_dir: Path) -> None:
    target = out_dir / job.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(renderer.render(job).encode("utf-8"))


def _render_chunk(jobs: list[PageJob]) -> int:
    assert _WORKER is not None and _WORKER_OUT is not None
    for job in jobs:
        write_page(_WORKER, job, _WORKER_OUT)
    return len(jobs)


def write_pages(
    renderer: Renderer, jobs: list[PageJob], out_dir: Path, workers: int | None = None
) -> int:
    """Render and write `jobs` under `out_dir`, in forked workers on large sites."""
    global _WORKER, _WORKER_OUT
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(jobs) < PARALLEL_MIN_JOBS or "fork" not in _start_methods():
        for job in jobs:
            write_page(renderer, job, out_dir)
        return len(jobs)
    _WORKER, _WORKER_OUT = renderer, out_dir
    try:
        chunks = _chunks(jobs)
        with get_context("fork").Pool(workers, initializer=worker_gc) as pool:
            return sum(pool.imap_unordered(_render_chunk, chunks))
    finally:
        _WORKER = _WORKER_OUT = None


def _chunks(jobs: list[PageJob]) -> list[list[PageJob]]:
    """The workers' tasks: each language's list pages as one, first; then the article
    pages in chunks, both languages of an article side by side.

    List pages show the same events, each an item rendered once per language and
    kept (`Presenter.fragment`); split across workers, every worker renders most of
    them again (0.3–0.6 s of CPU at 10,000 articles). An article's two pages share its
    body's HTML (`_body_html`). The first tasks go to the first idle workers.
    """
    lists: dict[str | None, list[PageJob]] = {}
    articles: list[PageJob] = []
    for job in jobs:
        if job.kind == "article":
            articles.append(job)
        else:
            lists.setdefault(job.lang, []).append(job)
    chunks = list(lists.values())
    chunks += [articles[i : i + CHUNK] for i in range(0, len(articles), CHUNK)]
    return chunks


def worker_gc() -> None:
    """In a forked worker: leave what was inherited out of collections, collect the rest.

    The parent builds with the collector paused. Pages make no cyclic garbage
    (a test renders every kind and finds none: keep macros out of page templates,
    in macros.html), but a site's own templates may, so a worker collects; it
    never walks (and so never copies) the parent's model.
    """
    import gc

    gc.freeze()
    gc.enable()


def _start_methods() -> list[str]:
    from multiprocessing import get_all_start_methods

    return get_all_start_methods()
