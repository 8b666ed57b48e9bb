"""Incremental builds: a cache outside `public/` so a rebuild redoes only what changed.

Three things are remembered between builds, in one folder (`.sitegen-cache/`
by default, `--cache DIR` to move it):

- the parse and validation results of every content file, keyed by its path,
  size and mtime, so an unchanged file is neither re-read nor re-checked;
- per output folder, a manifest of every page's fingerprint
  (`render.plan_pages`), of the extras (feeds, sitemap, data) and of the
  searchable text, so a rebuild renders only the jobs whose fingerprint
  changed, deletes the pages that are gone, and re-runs the extras and the
  search index only when their inputs changed;
- the environment digest (code, templates, catalogues, settings, registry):
  when it changes every page changes, so the build is a clean one.

The "failed build leaves public/ as it was" guarantee holds: changed files
are rendered into a staging folder beside the output and moved into place
only when everything succeeded. A clean build still swaps a whole new tree in.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import importlib
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any, NamedTuple

from sitegen import cachefile, content, model_store
from sitegen.frontmatter import ContentError
from sitegen.publish import records_digest
from sitegen.respell import Respelling, spelling

DEFAULT_CACHE = Path(".sitegen-cache")
# A file modified this close to its reading may change again within the same
# mtime tick unnoticed ("racy git"): it is not cached and is read next time.
RACY_SECONDS = 2.0
PARALLEL_MIN_FILES = 200
DELTA_MIN = 100  # entries a cache delta may always hold (see ContentCache)
CHECK_CHUNK = 100
PACKAGE = Path(__file__).resolve().parent
# What validation depends on besides the file itself.
VALIDATION_CODE = ("validate.py", "schemas", "translate.py", "content.py", "frontmatter.py")


@dataclass
class Stat:
    """What a content file looked like when it was cached."""

    mtime_ns: int
    size: int

    @classmethod
    def of(cls, path: Path) -> Stat:
        st = path.stat()
        return cls(st.st_mtime_ns, st.st_size)

    def racy(self) -> bool:
        return time.time_ns() - self.mtime_ns < RACY_SECONDS * 1e9


@dataclass
class Entry:
    """One content file as parsed (`meta`, `body`, `digest`) and as validated."""

    stat: Stat
    meta: dict
    body: str
    digest: str
    issues: list | None = None  # validation issues without the cross-file checks
    article: Any = None  # the site.Article made from it (links cleared)

    def slim(self) -> None:
        """Once the article is made, keep only what the cross-file checks read."""
        self.meta = _slim(self.meta)
        self.body = ""


def _slim(meta: dict) -> dict:
    """What the cross-file checks read of a file's front-matter (once its Article is made)."""
    return {key: meta[key] for key in ("slug", "source") if key in meta}


@dataclass
class ContentCache:
    """Parsed and validated content files of one content folder.

    It is kept in two files: the whole cache, and the entries that changed
    since it was written (a delta). Writing 10,000 entries takes half a
    second, too much after every one-article edit; the whole cache is
    written again when the delta holds more than a tenth of the entries.
    """

    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    validation_env: str = ""
    dirty: bool = False
    spelling: str = ""  # of the content folder in the keys (`respell`)
    # The entries as the whole-cache file holds them (by identity), its stamp and
    # validation environment; entries then incomplete go into every delta.
    _base: dict[str, Entry] = field(default_factory=dict, repr=False)
    _base_stamp: str | None = None
    _base_env: str = ""
    _incomplete: set[str] = field(default_factory=set, repr=False)

    @classmethod
    def load(cls, cache_dir: Path, content_dir: Path) -> ContentCache:
        """The cache of `content_dir`; empty when the code that made it has changed.

        Entries hold pickled `site.Article`s: after an edit to the code their
        class may have other fields, so they are not trusted across versions.
        """
        path = Path(cache_dir) / f"content-{_key(content_dir)}.pickle"
        data = cachefile.load(path)
        code = package_digest()
        now = spelling(content_dir)
        if data.get("code") != code:
            return cls(path, dirty=True, spelling=now)
        respelling = Respelling.between(data.get("spelling"), content_dir)
        entries = _respelled(data.get("entries", {}), respelling)
        cache = cls(path, entries, data.get("validation_env", ""), spelling=now)
        cache._remember_base(data.get("stamp"))
        delta = cachefile.load(cache.delta_path)
        if delta.get("code") == code and delta.get("base") == cache._base_stamp:
            respelling = Respelling.between(delta.get("spelling"), content_dir)
            cache.entries.update(_respelled(delta.get("changed", {}), respelling))
            for key in delta.get("removed", ()):
                cache.entries.pop(respelling.path(key) if respelling else key, None)
        return cache

    @property
    def delta_path(self) -> Path:
        return self.path.with_suffix(".delta.pickle")

    def _remember_base(self, stamp: str | None) -> None:
        self._base, self._base_stamp = dict(self.entries), stamp
        self._base_env = self.validation_env
        self._incomplete = {
            key for key, e in self.entries.items() if e.issues is None or e.article is None
        }

    def save(self, in_child: bool = False) -> Callable[[], None]:
        """Write what changed (a delta, or the whole cache); returns a wait for the write.

        `in_child` writes in a forked process (`cachefile.save_in_child`):
        the command line, which has its model to link meanwhile.
        """
        if not self.dirty:
            return _written
        path, data = self._next_file()
        self.dirty = False
        if in_child:
            return cachefile.save_in_child(path, data)
        cachefile.save(path, data)
        return _written

    def _next_file(self) -> tuple[Path, dict]:
        """The file to write now and its data, remembered as written."""
        changed = {
            key: entry
            for key, entry in self.entries.items()
            if self._base.get(key) is not entry or key in self._incomplete
        }
        removed = [key for key in self._base if key not in self.entries]
        small = len(changed) + len(removed) <= max(DELTA_MIN, len(self.entries) // 10)
        if self._base_stamp and self.validation_env == self._base_env and small:
            delta = {"base": self._base_stamp, "changed": changed, "removed": removed}
            return self.delta_path, {**delta, "code": package_digest(), "spelling": self.spelling}
        stamp = os.urandom(8).hex()
        data = {"entries": self.entries, "validation_env": self.validation_env}
        data["spelling"] = self.spelling
        self.delta_path.unlink(missing_ok=True)  # of the old whole file
        self._remember_base(stamp)
        return self.path, {**data, "code": package_digest(), "stamp": stamp}

    def entry(self, path: Path | str, stat: Stat) -> Entry:
        """The parse of `path`, from the cache when its size and mtime are unchanged."""
        key = str(path)
        cached = self.entries.get(key)
        if cached is not None and cached.stat == stat and not stat.racy():
            return cached
        from sitegen.site import read_article_file

        path = Path(path)

        meta, body, digest = read_article_file(path)
        entry = Entry(stat, meta, body, digest)
        if stat.racy():
            self.entries.pop(key, None)
        else:
            self.entries[key] = entry
        self.dirty = True
        return entry

    def forget_missing(self, present: set[str]) -> None:
        for key in set(self.entries) - present:
            del self.entries[key]
            self.dirty = True


def _respelled(entries: dict[str, Entry], respelling: Respelling | None) -> dict[str, Entry]:
    """Cache entries of files named in another spelling of the content folder, renamed
    (their articles' paths and their issues' too); a copy of the dict either way."""
    if respelling is None:
        return dict(entries)
    for entry in entries.values():
        if entry.article is not None:
            entry.article.path = respelling.path(entry.article.path)
        if entry.issues:
            entry.issues = [
                replace(issue, path=Path(respelling.path(str(issue.path))))
                for issue in entry.issues
            ]
    return respelling.keys(entries)


def _written() -> None:
    """The wait of a cache write that is done."""


def _key(path: Path) -> str:
    return hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]


def code_digest(*parts: str) -> str:
    from sitegen.render import tree_digest

    return tree_digest(*(PACKAGE / part for part in parts))


def package_digest() -> str:
    """Every source and data file of sitegen: any change to the code is a clean build."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file() or path.suffix in {".pyc", ".mo"}:
            continue
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


# --- reading and validating content with the cache ------------------------------------------


def content_stats(content_dir: Path) -> dict[str, Stat]:
    """Size and mtime of every article file (`content.article_files`), by path."""
    folder = Path(content_dir) / content.ARTICLES_DIR
    if not folder.is_dir():
        return {}
    with os.scandir(folder) as found:
        names = sorted(e.name for e in found if e.name.endswith(".md"))
    stats = {}
    for name in names:  # os.stat on strings: no Path object per file (10,000 of them)
        st = os.stat(path := os.path.join(folder, name))
        stats[path] = Stat(st.st_mtime_ns, st.st_size)
    return stats


def read_site_articles(cache: ContentCache, stats: dict[str, Stat]) -> list:
    """Every article in slug order, as `site.read_articles` gives it, from the cache."""
    from sitegen.site import _fail

    articles: dict[str, Any] = {}
    for name, stat in stats.items():
        article = copy.copy(_article(cache, name, stat))  # build_site links the copy
        if article.slug in articles:
            other = articles[article.slug].path
            raise _fail(Path(name), f"slug '{article.slug}' is also used by {other}", "slug")
        articles[article.slug] = article
    cache.forget_missing(set(stats))
    return [articles[slug] for slug in sorted(articles)]


def validate(
    content_dir: Path,
    registry: Any,
    cache: ContentCache,
    stats: dict[str, Stat],
    per_file: dict[str, list] | None = None,
):
    """`validate.validate_content`, re-checking only files that changed.

    `per_file`, when given, receives each file's issues; it is left empty
    when the cross-file checks found something (the issues then come from
    the full validation, in its order).

    Per-file results are cached; the cross-file checks (two files with one
    slug or one source) are redone from the cached front-matter, and when
    they find something the full validation runs so messages stay identical.
    A file checked here is also made into its `site.Article` from the same
    parse, so `read_site_articles` finds every entry ready.
    """
    from sitegen import validate as checks

    env = code_digest(*VALIDATION_CODE) + str(registry_digest(content_dir))
    if env != cache.validation_env:
        for entry in cache.entries.values():
            entry.issues = None
        cache.validation_env, cache.dirty = env, True
    issues = list(checks._check_settings(content_dir))
    entries = {name: cache.entries.get(name) for name in stats}
    unchecked = [name for name, entry in entries.items() if not _checked(entry, stats[name])]
    for name, found in zip(unchecked, read_files(unchecked, stats, registry), strict=True):
        entries[name] = _keep(cache, name, stats[name], found)
    slugs: set[str] = set()
    sources: set[str] = set()
    duplicate = False
    for name, entry in entries.items():
        issues.extend(entry.issues or [])
        if per_file is not None:
            per_file[name] = entry.issues or []
        slug, source = entry.meta.get("slug"), entry.meta.get("source")
        slug = slug if isinstance(slug, str) else Path(name).stem
        duplicate |= slug in slugs or (isinstance(source, str) and source in sources)
        slugs.add(slug)
        if isinstance(source, str):
            sources.add(source)
    if duplicate:
        if per_file is not None:
            per_file.clear()
        return checks.validate_content(content_dir, registry)
    return issues


def _checked(entry: Entry | None, stat: Stat) -> bool:
    """True when `entry` is the validated parse of the file as it is now."""
    return entry is not None and entry.stat == stat and not stat.racy() and entry.issues is not None


def _keep(cache: ContentCache, name: str, stat: Stat, found: Entry | list) -> Entry:
    """Put what `read_files` found for `name` into the cache; return its entry.

    A file the fast reading could not make an Article of (a YAML or UTF-8
    error, a malformed field, CR line ends) is read again as `ContentCache.entry`
    reads it, so the build fails with the very same error, at the same point.
    """
    if isinstance(found, list):
        entry = _entry_or_blank(cache, name, stat)
        entry.issues = found
    elif stat.racy():
        entry = found
        cache.entries.pop(name, None)
    else:
        entry = cache.entries[name] = found
    cache.dirty = True
    return entry


def _entry_or_blank(cache: ContentCache, path: Path | str, stat: Stat) -> Entry:
    try:
        return cache.entry(path, stat)
    except (ContentError, UnicodeDecodeError):
        return Entry(stat, {}, "", "")  # check_article reports it with its line


_REGISTRY: Any = None


def read_files(names: list[str], stats: dict[str, Stat], registry: Any) -> list[Entry | list]:
    """Each file read once, checked, and made into its `site.Article`: its cache Entry.

    Where the Article cannot be made from that reading, only the issues come
    back (see `_keep`). Forked workers do it on large sites: ~0.45 ms of CPU
    a file (half of it YAML), and ~0.04 ms in the parent to unpickle it.
    """
    global _REGISTRY
    workers = os.cpu_count() or 1
    if len(names) < PARALLEL_MIN_FILES or workers < 2 or "fork" not in get_all_start_methods():
        found = [_read_one(name, registry) for name in names]
    else:
        _REGISTRY = registry
        try:
            with get_context("fork").Pool(workers) as pool:
                found = pool.map(_read_one, names, chunksize=CHECK_CHUNK)
        finally:
            _REGISTRY = None
    return [
        item if isinstance(item, list) else item.entry(stats[name])
        for name, item in zip(names, found, strict=True)
    ]


class _Read(NamedTuple):
    """An Entry as a worker sends it: it unpickles faster than the dataclasses (34 vs 47 us)."""

    meta: dict  # slim: what the cross-file checks read
    digest: str
    issues: list
    article: Any

    def entry(self, stat: Stat) -> Entry:
        return Entry(stat, self.meta, "", self.digest, self.issues, self.article)


def _read_one(name: str, registry: Any = None) -> _Read | list:
    """One file's issues as `validate.check_article` finds them, and its Article."""
    from sitegen import validate as checks
    from sitegen.site import article_from

    path = Path(name)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [checks._not_utf8(path, exc)]
    crlf = "\r" in text  # check_article reads in text mode, the site keeps what is there
    if crlf:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    registry = registry if registry is not None else _REGISTRY
    checked = checks.check_text(path, text, registry)
    if checked.doc is None or crlf:
        return checked.issues
    meta, digest = checked.doc.meta, hashlib.sha256(raw).hexdigest()
    try:
        article = article_from(path, meta, checked.doc.body, digest)
    except ContentError:
        return checked.issues
    article.shown_digest  # noqa: B018 - a cached property, computed here in the worker
    return _Read(_slim(meta), digest, checked.issues, article)


def registry_digest(content_dir: Path) -> str:
    from sitegen.render import tree_digest

    return tree_digest(Path(content_dir) / "registry", Path(content_dir) / "site.yaml")


# --- the output manifest ---------------------------------------------------------------------


@dataclass
class Manifest:
    """What the output folder holds, as the last successful build left it."""

    path: Path
    env: str = ""
    out_id: tuple[int, int] | None = None
    pages: dict[str, str] = field(default_factory=dict)
    extras: dict[str, str] = field(default_factory=dict)  # per part of publish_extras
    search: dict[str, str] = field(default_factory=dict)
    stats: dict[str, Stat] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    model: str | None = None  # the stamp of the model stored with this output (model_store)
    content: str | None = None  # the content folder's spelling in `stats` and `warnings`
    drafts: int = 0  # articles marked draft that the site leaves out

    @classmethod
    def load(cls, cache_dir: Path, out_dir: Path, content_dir: Path | None = None) -> Manifest:
        """The manifest of `out_dir`; with `content_dir`, its paths spelled as that is."""
        path = Path(cache_dir) / f"out-{_key(out_dir)}.pickle"
        data = cachefile.load(path)
        data.pop("version", None)
        try:
            manifest = cls(path, **data)
        except TypeError:
            return cls(path)
        respelling = Respelling.between(manifest.content, content_dir) if content_dir else None
        if respelling is not None:
            manifest.stats = respelling.keys(manifest.stats)
            manifest.warnings = respelling.lines(manifest.warnings)
            manifest.content = respelling.new
        return manifest

    def save(self) -> None:
        data = {k: v for k, v in self.__dict__.items() if k != "path"}
        cachefile.save(self.path, data)

    def matches(self, out_dir: Path, env: str) -> bool:
        """True when `out_dir` is the very folder this manifest describes."""
        return bool(self.pages) and self.env == env and self.out_id == folder_id(out_dir)

    def invalidate(self) -> None:
        """Mark the output as unknown (a build is moving files into it)."""
        self.path.unlink(missing_ok=True)


def folder_id(folder: Path) -> tuple[int, int] | None:
    """(device, inode) of a folder: a clean build swaps in a new one, rm -rf loses it."""
    try:
        st = Path(folder).stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


# --- the build -------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What an incremental build did."""

    pages: int  # pages rendered by this build
    total: int  # pages of the site
    removed: int
    warnings: list[str]
    clean: bool
    extras: bool
    search: bool
    drafts: int = 0  # left out of the site


# Article fields that shape the site model (events, entity pages, their order
# and names); an edit that leaves them alone changes texts only.
def article_facts(article: Any) -> tuple:
    return (
        article.slug,
        article.source,
        article.published,
        article.event_date,
        tuple(article.officials),
        tuple(article.countries),
        tuple(article.places),
        tuple(article.topics),
        article.outlet_ar,
        bool(article.title_ar),
        article.draft,
    )


@dataclass
class LastBuild:
    """The model and plan of the last successful build, kept by a long-lived Builder.

    When an edit changes only texts (a title, a summary, the body, English),
    the model's shape is the same: the edited articles' texts are copied
    into it and the plan recomputes only their closures, instead of reading
    and linking every article and planning every page again.
    """

    env: str
    base: str
    stats: dict[str, Stat]
    site: Any
    plan: Any
    by_path: dict[str, Any] = field(default_factory=dict)
    racy: set[str] = field(default_factory=set)  # files that may change unseen (`Stat.racy`)
    # The search records of this model, by language, kept with it (and stored with
    # it for the next process: making them again takes 0.2 s at 10,000 articles);
    # `stale` names the articles whose texts changed since they were made.
    docs: dict[str, list[dict]] = field(default_factory=dict)
    doc_positions: dict[str, dict[str, int]] = field(default_factory=dict)  # url -> index
    stale: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.by_path = {article.path: article for article in self.site.articles}
        self._seen(self.stats)

    def respell(self, respelling: Respelling) -> None:
        """Name the content files as this build spells the folder (a stored model)."""
        for article in self.site.articles:
            article.path = respelling.path(article.path)
        self.by_path = {article.path: article for article in self.site.articles}
        self.site.left_out = tuple(respelling.path(path) for path in self.site.left_out)
        self.stats = respelling.keys(self.stats)
        self.racy = {respelling.path(path) for path in self.racy}

    def _seen(self, stats: dict[str, Stat]) -> None:
        self.stats = dict(stats)
        self.racy = {path for path, stat in stats.items() if stat.racy()}

    def text_edits(self, env: str, stats: dict[str, Stat], article_of: Callable[[str, Stat], Any]):
        """{path: new Article} when only texts changed since this build, else None.

        `article_of(path, stat)` reads a changed file's (unlinked) Article.
        """
        if env != self.env or stats.keys() != self.stats.keys():
            return None
        edited = {}
        for path, stat in stats.items():
            if self.stats[path] == stat and path not in self.racy:
                continue
            article = article_of(path, stat)
            if str(Path(path)) in self.site.left_out and article is not None and article.draft:
                continue  # still a draft the site leaves out: the edit shows nowhere
            old = self.by_path.get(str(Path(path)))
            if old is None or article is None or article_facts(old) != article_facts(article):
                return None
            edited[path] = article
        return edited

    def apply(self, edited: dict[str, Any], stats: dict[str, Stat]) -> None:
        """Copy the edited texts into the model; forget what digested the old ones."""
        from dataclasses import fields

        from sitegen.site import site_digest

        links = {"outlet", "event"}
        for path, article in edited.items():
            target = self.by_path[str(Path(path))]
            for name in (f.name for f in fields(article) if f.name not in links):
                setattr(target, name, getattr(article, name))
            for cached in ("display_title_ar", "shown_digest"):  # cached_properties of the texts
                target.__dict__.pop(cached, None)
        self.site.digest = site_digest(self.site.articles)
        self.plan.refresh(article.slug for article in edited.values())
        self.stale.update(article.slug for article in edited.values())
        self._seen(stats)


class _CheckedReader:
    """Reads changed files for `LastBuild.text_edits` without the content cache:
    each is validated too (its warnings kept, by path); a file with an error,
    or one that is not an Article, gives None (the full build reports it)."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry
        self.lines: dict[str, list[str]] = {}

    def article(self, path: str, stat: Stat) -> Any:
        found = _read_one(path, self.registry)
        if isinstance(found, list) or any(i.level == "error" for i in found.issues):
            return None
        self.lines[path] = [_issue_line(i) for i in found.issues]
        return found.article


def _issue_line(issue: Any) -> str:
    from sitegen.commands.build import _issue_line as line

    return line(issue)


def _article(cache: ContentCache, path: str, stat: Stat) -> Any:
    """The (unlinked) Article of a content file, from the cache."""
    from sitegen.site import article_from

    entry = cache.entry(path, stat)
    if entry.article is None:
        entry.article = article_from(Path(path), entry.meta, entry.body, entry.digest)
        entry.slim()
        cache.dirty = True
    return entry.article


class Builder:
    """Builds one content folder into one output folder, remembering what it did.

    `sitegen serve` keeps one Builder alive so the content cache stays in
    memory between rebuilds; `sitegen build` makes one per run.
    """

    def __init__(
        self,
        content_dir: Path,
        out_dir: Path,
        cache_dir: Path = DEFAULT_CACHE,
        base_url: str | None = None,
        strict: bool = False,
        templates_dir: Path | None = None,
        workers: int | None = None,
        search: bool = True,
        drafts: bool = False,
    ) -> None:
        self.content_dir = Path(content_dir)
        self.out_dir = Path(out_dir).absolute()
        self.cache_dir = Path(cache_dir)
        self.base_url = base_url
        self.strict = strict
        self.templates_dir = templates_dir
        self.workers = workers
        self.search = search
        self.drafts = drafts
        self._cache: ContentCache | None = None
        self._registry_cache: tuple[str, Any] | None = None
        self._outlet_ids: dict[str, str] = {}  # outlet name -> id, for this registry
        # Deferred search and extras (serve): pages first, the index, the feeds,
        # sitemap and dossier.json a moment later.
        self.defer_search = False
        self.defer_extras = False
        self._extras_seq = 0  # deferred extras started
        self._extras_merged = 0  # the newest deferred extras moved into the output
        self._extras_threads: list[threading.Thread] = []
        # Write the content cache after every build (the command line); serve
        # keeps it in memory and calls `save_cache` when it is idle instead.
        self.save_every_build = True
        self._cache_written: Callable[[], None] = _written  # waits for the content cache
        self._model_stamp: str | None = None  # of the model stored with the output being built
        self._unstored: tuple | None = None  # serve: the last model, warnings and issues
        self._lock = threading.RLock()  # one build or index swap at a time
        self._pending: dict[str, list[dict]] = {}  # language -> records not indexed yet
        self._generation = 0  # bumped by clean builds, which index everything
        self._last: LastBuild | None = None  # the model of the last build (serve's edits)

    def build(self) -> Outcome:
        """Bring the output folder up to date; raise ContentError or any render error."""
        from sitegen.commands.build import paused_gc

        with self._lock, paused_gc():
            return self._build()

    def _inputs(self) -> tuple[Path, Any, str, dict[str, Stat]]:
        """Templates folder, settings, environment digest and article stats, as now."""
        from sitegen import render
        from sitegen.settings import load_settings

        templates_dir = Path(self.templates_dir or render.TEMPLATES_DIR)
        settings = load_settings(self.content_dir).with_base_url(self.base_url)
        settings = settings.with_drafts(self.drafts)
        env = self._environment(settings, templates_dir)
        return templates_dir, settings, env, content_stats(self.content_dir)

    def _build(self) -> Outcome:
        templates_dir, settings, env, stats = self._inputs()
        manifest = Manifest.load(self.cache_dir, self.out_dir, self.content_dir)
        if manifest.matches(self.out_dir, env) and _same_stats(manifest.stats, stats):
            unchanged = (0, len(manifest.pages), 0, manifest.warnings, False, False, False)
            return Outcome(*unchanged, manifest.drafts)
        if self._last is None and self._cache is None:
            outcome = self._from_stored_model(templates_dir, env, manifest, stats)
            if outcome is not None:
                return outcome
        cache = self._content_cache()
        self._cache_written = _written
        try:
            outcome = self._rebuild(settings, templates_dir, env, manifest, cache, stats)
        finally:
            if self.save_every_build:
                self._cache_written()
                cache.save()  # what changed after the checks, if anything
        return outcome

    def save_cache(self) -> None:
        """Write the in-memory content cache, if it changed (serve, when idle or stopping)."""
        with self._lock:
            if self._cache is not None:
                self._cache.save()

    def _registry(self) -> Any:
        """The registry, read again only when its files changed (kept while serving)."""
        from sitegen.registry import load_registry

        digest = registry_digest(self.content_dir)
        if self._registry_cache is None or self._registry_cache[0] != digest:
            self._registry_cache = (digest, self._stored_registry(digest, load_registry))
        return self._registry_cache[1]

    def _stored_registry(self, digest: str, load: Any) -> Any:
        """The registry as pickled by the last build with the same files and code.

        Loading it from YAML normalises every alias with camel-tools, whose
        import alone is a second: more than the rest of a one-article rebuild.
        """
        path = self._registry_path
        stamp = f"{digest}|{package_digest()}"
        data = cachefile.load(path)
        if data.get("stamp") == stamp and "registry" in data:
            self._outlet_ids = data.get("outlet_ids", {})
            return data["registry"]
        registry = load(self.content_dir)
        cachefile.save(path, {"stamp": stamp, "registry": registry})
        self._outlet_ids = {}
        return registry

    @property
    def _registry_path(self) -> Path:
        return self.cache_dir / f"registry-{_key(self.content_dir)}.pickle"

    def _save_outlet_ids(self, known: int) -> None:
        """Store outlet ids resolved by this build with the registry they hold for."""
        if len(self._outlet_ids) == known:
            return
        path = self._registry_path
        data = cachefile.load(path)
        if data.get("registry") is not None:
            data.pop("version", None)
            cachefile.save(path, {**data, "outlet_ids": self._outlet_ids})

    def warm(self) -> None:
        """Load the content cache and the registry, and make the model (serve, before
        the first edit), so the first edit takes the quick path (`LastBuild`)."""
        from sitegen import render

        with self._lock:
            cache, registry = self._content_cache(), self._registry()
            if self._last is not None:
                return
            templates_dir, settings, env, stats = self._inputs()
            site, plan, base = self._model(settings, registry, cache, stats, templates_dir)
            self._last = LastBuild(env, base, stats, site, plan)
            self._search_docs(render.Renderer(site, templates_dir), self._last)

    def _content_cache(self) -> ContentCache:
        if self._cache is None:
            self._cache = ContentCache.load(self.cache_dir, self.content_dir)
        return self._cache

    def _environment(self, settings: Any, templates_dir: Path) -> str:
        """The render environment digest plus how this build is asked to run."""
        from types import SimpleNamespace

        from sitegen import render

        base = render.environment_digest(
            SimpleNamespace(settings=settings), templates_dir, self.content_dir
        )
        flags = f"search={self.search}|strict={self.strict}|{package_digest()}"
        return hashlib.sha256(f"{base}|{flags}".encode()).hexdigest()

    def _from_stored_model(self, templates_dir, env, manifest, stats) -> Outcome | None:
        """A text edit, from a new process: serve's quick path on the model the last
        build stored (model_store). None when that path does not apply (no stored
        model, other facts, a file with an error): the caller builds as usual."""
        from sitegen import render

        if not manifest.matches(self.out_dir, env):
            return None
        stored = model_store.load(self._model_path, manifest.model, self.content_dir)
        if stored is None:
            return None
        reader = _CheckedReader(stored.last.site.registry)
        edited = stored.last.text_edits(env, stats, reader.article)
        if edited is None:
            return None
        last = stored.last
        last.apply(edited, stats)
        stored.lines.update(reader.lines)
        warnings = stored.warnings(list(stats))
        if self.strict and warnings:
            return None  # the usual path fails with the full message
        renderer = render.Renderer(last.site, templates_dir, self.cache_dir / "templates")
        jobs = last.plan.jobs(last.base)
        docs = self._search_docs(renderer, last)
        self._model_stamp = stored.stamp
        outcome = self._write(renderer, jobs, env, manifest, stats, warnings, last.base, docs)
        model_store.save_edits(self._model_path, stored, edited, reader.lines)
        self._last = last
        return outcome

    @property
    def _model_path(self) -> Path:
        return self.cache_dir / f"model-{_key(self.content_dir)}-{_key(self.out_dir)}.pickle"

    def _rebuild(self, settings, templates_dir, env, manifest, cache, stats) -> Outcome:
        from sitegen import render

        registry = self._registry()
        per_file: dict[str, list] = {}
        warnings = self._validate(registry, cache, stats, per_file)
        if self.save_every_build:  # written while the model is linked
            self._cache_written = cache.save(in_child=True)
        last, self._last = self._last, None  # changed below; kept only if the build succeeds
        edited = None
        if last is not None:
            edited = last.text_edits(env, stats, lambda path, stat: _article(cache, path, stat))
        slugs = None
        if last is not None and edited is not None:
            last.apply(edited, stats)
            slugs = {article.slug for article in edited.values()}
        else:
            site, plan, base = self._model(settings, registry, cache, stats, templates_dir)
            last = LastBuild(env, base, stats, site, plan)
        renderer = render.Renderer(last.site, templates_dir, self.cache_dir / "templates")
        jobs = last.plan.jobs(last.base)
        docs = self._search_docs(renderer, last)
        # The command line stores the model of a full rebuild for the next process;
        # serve, when it stops (`store_model`).
        self._unstored = None
        complete = bool(per_file) or not stats  # every file's warnings are known
        store = self.save_every_build and slugs is None and complete
        self._model_stamp = model_store.new_stamp() if store else None
        outcome = self._write(renderer, jobs, env, manifest, stats, warnings, last.base, docs)
        if self._model_stamp:  # set above when this build stores its model
            # After the build, not in the extras process beside the render workers:
            # pickling there copies the model's memory pages (+250 MB at 10,000 articles).
            self._save_model(self._model_stamp, last, warnings, per_file)
        if not self.save_every_build and complete:
            self._unstored = (last, warnings, per_file)
        self._last = last
        return outcome

    def store_model(self) -> None:
        """Store the last build's model for the next `sitegen build` (serve, as it stops)."""
        with self._lock:
            unstored, self._unstored = self._unstored, None
            manifest = Manifest.load(self.cache_dir, self.out_dir)
            if unstored is None or not manifest.matches(self.out_dir, unstored[0].env):
                return
            stamp = model_store.new_stamp()
            self._save_model(stamp, *unstored)
            manifest.model = stamp
            manifest.save()

    def _save_model(self, stamp: str, last: LastBuild, warnings: list[str], per_file: dict):
        """Store a build's model under the stamp its manifest names, with its warnings:
        those of no file first (the settings), then each file's (`per_file`)."""
        head = warnings[: len(warnings) - sum(map(len, per_file.values()))]
        lines = {name: [_issue_line(i) for i in found] for name, found in per_file.items()}
        stored = model_store.StoredModel(
            stamp, last, head, lines, spelling=spelling(self.content_dir)
        )
        model_store.save(self._model_path, stored)

    def _model(self, settings, registry, cache, stats, templates_dir):
        """The site model and page plan built from every article (a full rebuild)."""
        from sitegen import render
        from sitegen.site import build_site

        known = len(self._outlet_ids)
        site = build_site(settings, registry, read_site_articles(cache, stats), self._outlet_ids)
        self._save_outlet_ids(known)
        base = render.environment_digest(site, templates_dir, self.content_dir)
        return site, render.Plan(site), base

    def _write(self, renderer, jobs, env, manifest, stats, warnings, base, docs) -> Outcome:
        site = renderer.site
        new = Manifest(manifest.path, env, None, {j.path: j.fingerprint for j in jobs})
        new.content = spelling(self.content_dir)
        new.stats = {k: v for k, v in stats.items() if not v.racy()}
        new.warnings = warnings
        new.extras = _extras_digest(site, jobs, base)
        new.search = {lang: records_digest(d) for lang, d in docs.items()}
        new.model = self._model_stamp
        new.drafts = len(site.left_out)
        if manifest.matches(self.out_dir, env):
            return self._update(renderer, jobs, docs, manifest, new)
        return self._clean(renderer, jobs, docs, new)

    def _validate(self, registry, cache: ContentCache, stats, per_file=None) -> list[str]:
        issues = validate(self.content_dir, registry, cache, stats, per_file)
        lines = [_issue_line(i) for i in issues]
        failing = [
            line for i, line in zip(issues, lines, strict=True) if i.level == "error" or self.strict
        ]
        if failing:
            from sitegen.commands.build import BuildError

            raise BuildError(
                f"{len(failing)} problem(s) in {self.content_dir}:\n" + "\n".join(failing)
            )
        return lines

    def _search_docs(self, renderer, last: LastBuild) -> dict[str, list[dict]]:
        """Each language's search records, kept with the model: after a text edit,
        those it had with the edited (`stale`) articles' records made again (names
        and other records cannot have changed). Copies: a deferred index may still
        read the lists of the last build."""
        from sitegen.publish import article_record, search_available, search_documents

        if not self.search or not search_available():
            return {}
        if last.docs:
            by_lang = {lang: list(docs) for lang, docs in last.docs.items()}
            for lang, L in renderer.presenters.items():
                for slug in last.stale:
                    position = last.doc_positions[lang][f"/{lang}/articles/{slug}/"]
                    by_lang[lang][position] = article_record(L, renderer.site.by_slug[slug])
        else:
            by_lang = {}
            for doc in search_documents(renderer):
                by_lang.setdefault(doc["language"], []).append(doc)
            last.doc_positions = {
                lang: {doc["url"]: i for i, doc in enumerate(docs)}
                for lang, docs in by_lang.items()
            }
        last.docs, last.stale = by_lang, set()
        return by_lang

    def _clean(self, renderer, jobs, docs, new: Manifest) -> Outcome:
        """Everything from scratch into a new tree swapped in at the end (as `build`)."""
        from sitegen import render
        from sitegen.commands.build import atomic_output
        from sitegen.publish import start_extras

        new.invalidate()
        self._pending.clear()
        self._generation += 1
        with atomic_output(self.out_dir) as tmp:
            extras = start_extras(renderer, jobs, tmp, cache_dir=self.cache_dir)
            try:
                render.write_pages(renderer, jobs, tmp, self.workers)
            finally:
                extras()
            with _search_index(tmp, docs, self.cache_dir) as index:
                if index is not None:
                    index.write(tmp)
        new.out_id = folder_id(self.out_dir)
        new.save()
        return Outcome(len(jobs), len(jobs), 0, new.warnings, True, True, bool(docs), new.drafts)

    def _update(self, renderer, jobs, docs, old: Manifest, new: Manifest) -> Outcome:
        """Render what changed into a staging folder, then move it into the output."""
        from sitegen import render
        from sitegen.publish import start_extras

        todo = [job for job in jobs if old.pages.get(job.path) != job.fingerprint]
        gone = sorted(set(old.pages) - set(new.pages))
        search = {lang: d for lang, d in docs.items() if old.search.get(lang) != new.search[lang]}
        for lang in set(self._pending) - set(search):
            del self._pending[lang]  # back to what the index holds: nothing to redo
        if self.defer_search and search:
            self._pending.update(search)  # the index keeps its old digest until swapped
            new.search.update({lang: old.search.get(lang, "") for lang in search})
            search = {}
        previous = old.extras if isinstance(old.extras, dict) else {}
        extras = [part for part, digest in new.extras.items() if previous.get(part) != digest]
        staging = self._folder_beside_output("stage")
        deferred = self.defer_extras and bool(extras)
        extras_dir = self._folder_beside_output("extras") if deferred else staging / "extras"
        wait = None
        try:
            if extras:
                wait = start_extras(renderer, jobs, extras_dir, extras, self.cache_dir)
            try:
                render.write_pages(renderer, todo, staging, self.workers)
            finally:
                if wait and not deferred:
                    wait()
            with _search_index(staging / "search", search, self.cache_dir) as index:
                old.invalidate()  # from here the output is between two states
                _move_pages(staging, self.out_dir, [job.path for job in todo])
                if extras and not deferred:
                    _merge_tree(extras_dir, self.out_dir)
                if index is not None:
                    index.update(self.out_dir)  # only the shards that changed
            _remove_pages(self.out_dir, gone)
        except BaseException:
            if deferred and wait is not None:
                _quietly(wait)
                shutil.rmtree(extras_dir, ignore_errors=True)
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        done = {part: new.extras[part] for part in extras}
        if deferred:  # the manifest keeps the old digests until the files are in
            new.extras.update({part: previous.get(part, "") for part in extras})
        new.out_id = folder_id(self.out_dir)
        new.save()
        if deferred:
            self._finish_extras_later(wait, extras_dir, done)
        return Outcome(
            len(todo),
            len(jobs),
            len(gone),
            new.warnings,
            False,
            bool(extras),
            bool(search),
            new.drafts,
        )

    def _folder_beside_output(self, kind: str) -> Path:
        """A new hidden folder on the output's file system, so its files move in by rename."""
        prefix = f".{self.out_dir.name}.{kind}-"
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.out_dir.parent))

    def _finish_extras_later(self, wait: Any, folder: Path, digests: dict[str, str]) -> None:
        """Move the feeds, sitemap and data into the output once they are written (serve)."""
        self._extras_seq += 1
        args = (wait, folder, digests, self._extras_seq, self._generation)
        thread = threading.Thread(target=self._finish_extras, args=args, daemon=True)
        self._extras_threads.append(thread)
        thread.start()

    def _finish_extras(self, wait, folder: Path, digests, seq: int, generation: int) -> None:
        try:
            try:
                wait()
            except Exception as exc:  # the pages are in; the next build writes these again
                print(f"serve: feeds and data failed: {exc}", file=sys.stderr, flush=True)
                return
            with self._lock:
                if generation != self._generation or seq < self._extras_merged:
                    return  # a clean build or a newer edit's files are in
                _merge_tree(folder, self.out_dir)
                self._extras_merged = seq
                manifest = Manifest.load(self.cache_dir, self.out_dir)
                manifest.extras.update(digests)
                if manifest.matches(self.out_dir, manifest.env):
                    manifest.save()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def wait_extras(self) -> None:
        """Wait until deferred feeds, sitemap and data are in the output."""
        while self._extras_threads:
            self._extras_threads.pop(0).join()

    @property
    def search_pending(self) -> bool:
        return bool(self._pending)

    def index_pending(self) -> list[str]:
        """Index the records deferred by the last builds; put in what is still current."""
        with self._lock:
            pending, generation = dict(self._pending), self._generation
        if not pending:
            return []
        with _search_index(self.out_dir, pending, self.cache_dir) as index:
            return self._update_search(index, pending, generation)

    def _update_search(self, index: Any, done: dict[str, list[dict]], generation: int):
        """Update the output's bundles (only the changed shards, as a build does) for the
        languages no newer build has superseded meanwhile."""
        with self._lock:
            if generation != self._generation:
                return []
            current = [lang for lang, docs in done.items() if self._pending.get(lang) is docs]
            if not current:
                return []  # edited again meanwhile: the newer records come next
            if index is not None:
                index.update(self.out_dir, languages=current)
            manifest = Manifest.load(self.cache_dir, self.out_dir)
            for lang in current:
                manifest.search[lang] = records_digest(done[lang])
                del self._pending[lang]
            if manifest.matches(self.out_dir, manifest.env):
                manifest.save()
            return current


def _quietly(call: Any) -> None:
    with contextlib.suppress(Exception):
        call()


def _same_stats(old: dict[str, Stat], new: dict[str, Stat]) -> bool:
    return old == new and not any(stat.racy() for stat in new.values())


def _extras_digest(site, jobs, base: str) -> dict[str, str]:
    """What each part of `publish_extras` depends on: static files and the environment;
    the sitemap, on the routes too; feeds and dossier.json, on what they show of the
    articles too (not their bodies: `site.digest`)."""
    routes = hashlib.sha256("\n".join(job.path for job in jobs).encode()).hexdigest()

    def digest(*parts: str) -> str:
        return hashlib.sha256("|".join((base, *parts)).encode()).hexdigest()

    return {
        "static": digest(),
        "feeds": digest(site.digest),
        "sitemap": digest(routes),
        "data": digest(site.digest),
    }


@contextlib.contextmanager
def _search_index(near: Path, docs: dict[str, list[dict]], cache_dir: Path):
    """Every language's records indexed (Pagefind runs for shards not in the cache, both
    languages at once), then the index to write or update with; None for no records."""
    if not docs:
        yield None
        return
    search = importlib.import_module("sitegen.publish.search")
    documents = [search.SearchDocument(**doc) for lang_docs in docs.values() for doc in lang_docs]
    with search.prepare_search_index(near, documents, cache_dir / "search") as index:
        yield index


def _move_pages(staging: Path, out_dir: Path, paths: list[str]) -> None:
    made: set[Path] = set()
    for path in paths:
        target = out_dir / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        os.replace(staging / path, target)


def _merge_tree(source: Path, out_dir: Path) -> None:
    """Move every file of `source` into `out_dir`, keeping files whose bytes did not change."""
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = out_dir / path.relative_to(source)
        if target.is_file() and _same_bytes(path, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)


def _same_bytes(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def _remove_pages(out_dir: Path, paths: list[str]) -> None:
    """Delete pages, then the folders they leave empty (a clean build has none)."""
    for path in paths:
        target = out_dir / path
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def build_with_cache(
    content_dir: Path,
    out_dir: Path,
    cache_dir: Path,
    base_url: str | None = None,
    strict: bool = False,
    templates_dir: Path | None = None,
    workers: int | None = None,
    search: bool = True,
    drafts: bool = False,
):
    """`commands.build.build` with the cache: same result, same errors, less work."""
    from sitegen.commands.build import BuildResult, build_errors

    started = time.perf_counter()
    builder = Builder(
        content_dir, out_dir, cache_dir, base_url, strict, templates_dir, workers, search, drafts
    )
    with build_errors():
        outcome = builder.build()
    seconds = time.perf_counter() - started
    return BuildResult(
        Path(out_dir), outcome.total, seconds, outcome.warnings, outcome.pages, outcome.drafts
    )
