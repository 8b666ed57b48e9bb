"""The site's search: one Pagefind index per language, from records we write.

Pagefind indexes the text we give it, not the rendered pages: Arabic is fed in
the extractor's normalised form (see `search_text`) so bare words find their
prefixed and variant spellings, while the original title and excerpt travel
as the record's meta for the result list to show. Each language gets its own
bundle at `<out>/<lang>/pagefind/`, next to the rules the browser uses to
normalise queries (`<out>/<lang>/pagefind/sitegen-rules.json`).

Records reach Pagefind as one small HTML file each, indexed by Pagefind's
binary run over their folder: the Python API's `add_custom_record` costs a
100 ms round trip per record in its service loop, which would make indexing
a few thousand articles take minutes instead of a second, and its
`add_directory` does what the command line does with more overhead.

Cost at scale (10,000 articles, 21,000 records): Pagefind cannot update an
index, and its time and memory grow with the pages and the words it is fed
(11 s of CPU and 1.3 GB for 10,500 Arabic records in one bundle). So a
record carries each indexed word once (`index_terms`; the title's words
again in a heading, which Pagefind weighs above body text), and each
language's records are split into shards by a hash of their URL, each shard
its own Pagefind bundle of `SHARD_SIZE` records or fewer on average: the
first at `<out>/<lang>/pagefind/`, the others under its `shards/<n>/`, listed in
`sitegen-shards.json` for the search page, which merges them into the first
(Pagefind's `mergeIndex`, the multisite search). The shard count is a power
of two, so when a site outgrows it a record stays in its shard or moves to
one new shard. At most `PAGEFIND_JOBS` Pagefind processes run at once.

With `cache_dir`, each shard's finished bundle is kept there, named by a
digest of its records and of the code that indexes them, with the indexed
text of its records: a changed article re-indexes only its shard (and
normalises only itself), the other shards are hard-linked from the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path

from pagefind.service import get_executable

from sitegen.publish import search_text
from sitegen.publish.search_text import browser_rules, index_terms

__all__ = [
    "RULES_FILE",
    "SHARDS_FILE",
    "SearchDocument",
    "SearchIndex",
    "Shard",
    "build_search_index",
    "prepare_search_index",
    "record_html",
    "shard_count",
    "shard_of",
    "split_shards",
]

RULES_FILE = "sitegen-rules.json"
SHARDS_FILE = "sitegen-shards.json"  # the other shards' bundles, relative to the first
SHARDS_DIR = "shards"
SHARD_SIZE = 1000  # most records per shard: Pagefind needs ~0.7 s and ~100 MB for as many
SHARD_SIZE_ENV = "SITEGEN_SEARCH_SHARD_SIZE"
PAGEFIND_JOBS = 2  # Pagefind processes at once: a shard each, on two cores
SHARD_CACHE = "search-shards-{language}"
BUNDLE, BODIES = "bundle", "bodies.pickle"
STAGING_LIFETIME = 3600  # seconds after which a staging folder in the cache is litter
# Files a merged shard does not need: the search page loads them from the first bundle.
SHARED_FILES = ("*.js", "*.css", "wasm.*")
ENTRY_FILE = "pagefind-entry.json"  # Pagefind's own list of a bundle's index files


@dataclass(frozen=True)
class SearchDocument:
    """One page to find.

    `url` is the page's path under the site root, e.g. "/ar/articles/<slug>/",
    without the deployment base path: the search page prefixes the site root
    it finds itself under, so the index is the same wherever the site lives.
    """

    url: str
    language: str
    title: str
    text: str
    excerpt: str
    # The long text to index after `text` (an article's body), kept apart so a
    # record shares the article's string instead of joining a copy.
    body: str = ""
    # A digest of the fields above, or of what they are made from, when the
    # caller has one (the build's records do): a shard's digest is made of these.
    digest: str = field(default="", compare=False)


def build_search_index(
    out_dir: Path,
    documents: list[SearchDocument],
    cache_dir: Path | None = None,
    shard_size: int | None = None,
) -> None:
    """Write sharded Pagefind bundles per language under `out_dir/<lang>/pagefind/`.

    `cache_dir` (e.g. the build's `.sitegen-cache/`) keeps each shard's bundle
    and indexed text for the next call; None indexes every record afresh.
    `shard_size` (most records per shard) defaults to $SITEGEN_SEARCH_SHARD_SIZE,
    else `SHARD_SIZE`: tests set it small to search a site of many shards.
    """
    with prepare_search_index(out_dir, documents, cache_dir, shard_size) as index:
        index.write(out_dir)


@contextmanager
def prepare_search_index(
    near: Path,
    documents: list[SearchDocument],
    cache_dir: Path | None = None,
    shard_size: int | None = None,
) -> Iterator[SearchIndex]:
    """Index with Pagefind the shards the cache lacks; the index then writes or updates.

    Split from the writing so a build can index before it starts changing its
    output. The records are written in a temporary folder beside `near` (made if
    missing), on the output's file system.
    """
    size = shard_size or _shard_size_from_environment()
    by_language: dict[str, list[SearchDocument]] = defaultdict(list)
    for doc in documents:
        by_language[doc.language].append(doc)
    near = Path(near)
    near.mkdir(parents=True, exist_ok=True)
    # Next to the output, not in /tmp: the same (often RAM-backed) file system,
    # so bundles are moved or hard-linked into place, not copied.
    with tempfile.TemporaryDirectory(prefix=".sitegen-search-", dir=near.parent) as tmp:
        store = Path(cache_dir) if cache_dir is not None else Path(tmp) / "cache"
        indexing = [
            _LanguageIndex(_ShardCache(store, language), split_shards(docs, size), Path(tmp))
            for language, docs in by_language.items()
        ]
        with ThreadPoolExecutor(max_workers=PAGEFIND_JOBS) as pool:
            for index in indexing:  # normalises a language while Pagefind indexes the last
                index.start(pool)
            for index in indexing:
                index.wait()
        yield SearchIndex(indexing)


@dataclass
class SearchIndex:
    """Every language's shards, indexed and kept in the cache, to put into an output."""

    languages: list[_LanguageIndex]

    def write(self, out_dir: Path) -> None:
        """Each language's bundle made anew at `out_dir/<lang>/pagefind/`."""
        for index in self.languages:
            index.write(Path(out_dir) / index.cache.language / "pagefind")

    def update(self, out_dir: Path, languages: Collection[str] | None = None) -> None:
        """Bring bundles an earlier call wrote up to date, replacing only changed shards;
        all languages, or those in `languages`."""
        for index in self.languages:
            if languages is None or index.cache.language in languages:
                index.update(Path(out_dir) / index.cache.language / "pagefind")


def _shard_size_from_environment() -> int:
    value = os.environ.get(SHARD_SIZE_ENV) or str(SHARD_SIZE)
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{SHARD_SIZE_ENV}={value!r}: give a number of records, 1 or more")
    return int(value)


def shard_count(records: int, shard_size: int = SHARD_SIZE) -> int:
    """The fewest shards, a power of two, of `shard_size` records or fewer on average."""
    count = 1
    while records > count * shard_size:
        count *= 2
    return count


def shard_of(url: str, count: int) -> int:
    """The shard of the record at `url` among `count`: a stable hash, not Python's salted one."""
    digest = hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count


@dataclass(frozen=True)
class Shard:
    """One bundle's records: shard `number` of `count`, named by a digest of its records."""

    number: int
    count: int
    docs: tuple[SearchDocument, ...]
    digest: str

    @property
    def name(self) -> str:
        """The cache entry's name: where it stands and what it holds."""
        return f"{self.count}-{self.number}-{self.digest}"


def split_shards(docs: list[SearchDocument], shard_size: int = SHARD_SIZE) -> list[Shard]:
    """One language's records in shards by URL, the non-empty ones, in shard order."""
    count = shard_count(len(docs), shard_size)
    members: dict[int, list[SearchDocument]] = defaultdict(list)
    for doc in sorted(docs, key=lambda d: d.url):
        members[shard_of(doc.url, count)].append(doc)
    code = _code_digest()
    return [
        Shard(number, count, tuple(members[number]), _shard_digest(members[number], code))
        for number in sorted(members)
    ]


def _shard_digest(docs: list[SearchDocument], code: str) -> str:
    """What a shard's bundle depends on: its records as given, and the indexing code."""
    digest = hashlib.blake2b(code.encode(), digest_size=16)
    for doc in docs:
        if doc.digest:
            digest.update(f"={doc.digest}".encode() + b"\1")
            continue
        fields = (doc.url, doc.language, doc.title, doc.excerpt, doc.text, doc.body)
        digest.update("\0".join(fields).encode("utf-8", "surrogatepass") + b"\1")
    return digest.hexdigest()


class _LanguageIndex:
    """One language's shards: Pagefind started for those not in the cache, then assembled."""

    def __init__(self, cache: _ShardCache, shards: list[Shard], tmp: Path) -> None:
        self.cache, self.shards, self.tmp = cache, shards, tmp
        self.running: list[tuple[Shard, Path, dict[bytes, str], Future[None]]] = []

    def start(self, pool: ThreadPoolExecutor) -> None:
        """Write the records of each changed shard and queue Pagefind over them."""
        for shard in self.shards:
            if self.cache.bundle(shard) is not None:
                continue
            records = self.tmp / self.cache.language / shard.name
            bodies = _write_records(records, shard.docs, self.cache.old_bodies(shard))
            staging = self.cache.staging(shard)
            job = pool.submit(_index_shard, records, staging / BUNDLE)
            self.running.append((shard, staging, bodies, job))

    def wait(self) -> None:
        """Wait for Pagefind and keep its bundles in the cache."""
        for shard, staging, bodies, job in self.running:
            job.result()
            self.cache.keep(shard, staging, bodies)
        self.running = []
        self.cache.prune(self.shards)

    def write(self, bundle: Path) -> None:
        """Link every shard into `bundle`, with the list of shards and the query rules."""
        shutil.rmtree(bundle, ignore_errors=True)  # no stale files
        for i, shard in enumerate(self.shards):
            _link_tree(self._cached(shard), self._place(bundle, i), everything=i == 0)
        for name, text in self._lists().items():
            (bundle / name).write_text(text, encoding="utf-8")

    def update(self, bundle: Path) -> None:
        """`write` for a bundle that holds this language's shards as an earlier call linked
        them: only the shards whose cached bundle changed are linked again, each swapped
        in with two renames, instead of relinking ten thousand files."""
        if not self.shards or not self._same_lists(bundle):
            staging = bundle.with_name(f".{bundle.name}.new-{os.getpid()}")
            self.write(staging)
            _swap_folder(staging, bundle)
            return
        if not _linked_from(bundle, self._cached(self.shards[0])):
            # The first shard is the bundle's top folder: made anew around the others.
            staging = bundle.with_name(f".{bundle.name}.new-{os.getpid()}")
            _link_tree(self._cached(self.shards[0]), staging, everything=True)
            for name, text in self._lists().items():
                (staging / name).write_text(text, encoding="utf-8")
            if (bundle / SHARDS_DIR).is_dir():
                (bundle / SHARDS_DIR).rename(staging / SHARDS_DIR)
            _swap_folder(staging, bundle)
        for i, shard in enumerate(self.shards[1:], start=1):
            place = self._place(bundle, i)
            if not _linked_from(place, self._cached(shard)):
                staging = place.with_name(f".{place.name}.new-{os.getpid()}")
                _link_tree(self._cached(shard), staging, everything=False)
                _swap_folder(staging, place)

    def _same_lists(self, bundle: Path) -> bool:
        """Whether `bundle` lists these shards, with these query rules."""
        for name, text in self._lists().items():
            try:
                if (bundle / name).read_text(encoding="utf-8") != text:
                    return False
            except OSError:
                return False
        return True

    def _cached(self, shard: Shard) -> Path:
        found = self.cache.bundle(shard)
        if found is None:
            raise RuntimeError(f"search shard {shard.name} is missing from {self.cache.folder}")
        return found

    def _place(self, bundle: Path, position: int) -> Path:
        """Where the shard at `position` goes: the first is the bundle, the others below it."""
        return bundle if position == 0 else bundle / SHARDS_DIR / str(self.shards[position].number)

    def _lists(self) -> dict[str, str]:
        """The files the search page reads besides Pagefind's: shards and query rules."""
        others = [f"{SHARDS_DIR}/{shard.number}/" for shard in self.shards[1:]]
        rules = json.dumps(browser_rules(self.cache.language), ensure_ascii=False, sort_keys=True)
        return {
            SHARDS_FILE: json.dumps({"shards": others}, sort_keys=True) + "\n",
            RULES_FILE: rules + "\n",
        }


def _linked_from(place: Path, cached: Path) -> bool:
    """Whether the shard at `place` was hard-linked from the cached bundle `cached`
    (a copied bundle, where links are not allowed, reads as changed)."""
    try:
        return os.path.samefile(place / ENTRY_FILE, cached / ENTRY_FILE)
    except OSError:
        return False


def _swap_folder(new: Path, target: Path) -> None:
    """Replace the folder `target` with `new`: two renames, then the old one removed."""
    trash = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(trash)
    target.parent.mkdir(parents=True, exist_ok=True)
    new.rename(target)
    shutil.rmtree(trash, ignore_errors=True)


def _index_shard(records: Path, bundle: Path) -> None:
    """Pagefind over one shard's record files, which are then no longer needed."""
    try:
        _run_pagefind(records, bundle)
    finally:
        shutil.rmtree(records, ignore_errors=True)


def _link_tree(source: Path, target: Path, everything: bool) -> None:
    """Hard-link (else copy) a bundle; a merged shard needs only its index and records.

    The search page loads Pagefind's scripts, styles and WebAssembly from the
    first bundle alone, so the other shards leave them out.
    """
    ignore = None if everything else shutil.ignore_patterns(*SHARED_FILES)
    shutil.copytree(source, target, ignore=ignore, copy_function=_link_or_copy, dirs_exist_ok=True)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copy2(source, target)


def record_html(doc: SearchDocument) -> str:
    """The page Pagefind reads for `doc`: indexed text in the body, originals as meta."""
    return _page(doc, record_body(doc))


def record_body(doc: SearchDocument) -> str:
    """The indexed part of `doc`'s page: the title's words as a heading, then every word once."""
    title = escape(index_terms(doc.title, doc.language))
    words = escape(index_terms(f"{doc.title}\n{doc.text}\n{doc.body}", doc.language))
    return f"<h1>{title}</h1><p>{words}</p>"


def _page(doc: SearchDocument, body: str) -> str:
    return (
        f'<!doctype html><html lang="{escape(doc.language)}"><head><meta charset="utf-8">'
        f"<title>{escape(doc.title)}</title></head><body>"
        f'<p data-pagefind-meta="title">{escape(doc.title)}</p>'
        f'<p data-pagefind-meta="excerpt">{escape(doc.excerpt)}</p>'
        f"<div data-pagefind-body>{body}</div></body></html>\n"
    )


def _write_records(
    folder: Path, docs: tuple[SearchDocument, ...], known: dict[bytes, str]
) -> dict[bytes, str]:
    """One file per record, at the path that gives Pagefind the record's URL.

    Bodies found in `known` (by `record_key`) are reused, the others made;
    returns every record's body by key, for the cache.
    """
    made: set[Path] = set()
    bodies: dict[bytes, str] = {}
    for doc in docs:
        relative = doc.url.strip("/")
        path = folder / relative / "index.html" if doc.url.endswith("/") else folder / relative
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        key = record_key(doc)
        body = known.get(key)
        if body is None:
            body = record_body(doc)
        bodies[key] = body
        path.write_text(_page(doc, body), encoding="utf-8")
    return bodies


def record_key(doc: SearchDocument) -> bytes:
    """What a record's indexed body depends on (with the code, which the shard digest covers)."""
    fields = (doc.language, doc.title, doc.text, doc.body)
    text = "\0".join(fields).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=16).digest()


class _ShardCache:
    """Finished shard bundles of one language, with their records' indexed text.

    An entry `<root>/search-shards-<lang>/<count>-<number>-<digest>/` holds
    `bundle/` (Pagefind's output) and `bodies.pickle`. It is written under a
    temporary name and renamed, so an entry that exists is whole. Only the
    entries of the last call are kept, so the cache follows the site's size.
    """

    def __init__(self, root: Path, language: str) -> None:
        self.language = language
        self.folder = root / SHARD_CACHE.format(language=language)

    def bundle(self, shard: Shard) -> Path | None:
        path = self.folder / shard.name / BUNDLE
        return path if path.is_dir() else None

    def old_bodies(self, shard: Shard) -> dict[bytes, str]:
        """Indexed text of the records this shard held before, to normalise only new ones.

        The same shard's earlier entry, or when the shard count changed, every entry.
        """
        entries = sorted(self.folder.glob(f"{shard.count}-{shard.number}-*"))
        if not entries:
            entries = sorted(self.folder.glob("*-*-*"))
        bodies: dict[bytes, str] = {}
        for entry in entries:
            bodies.update(_load_bodies(entry / BODIES))
        return bodies

    def staging(self, shard: Shard) -> Path:
        """A fresh folder, in the cache's folder, to build the entry in."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{shard.name}.", dir=self.folder))

    def keep(self, shard: Shard, staging: Path, bodies: dict[bytes, str]) -> None:
        with (staging / BODIES).open("wb") as handle:
            pickle.dump(bodies, handle, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            os.replace(staging, self.folder / shard.name)
        except OSError:  # another build kept the same entry first
            shutil.rmtree(staging, ignore_errors=True)

    def prune(self, shards: list[Shard]) -> None:
        """Remove the entries not in `shards`, and staging folders a crash left behind."""
        keep = {shard.name for shard in shards}
        stale = time.time() - STAGING_LIFETIME
        for entry in self.folder.iterdir() if self.folder.is_dir() else ():
            staging = entry.name.startswith(".")
            if staging and entry.stat().st_mtime > stale:
                continue  # perhaps another build's, still at work
            if entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)


def _load_bodies(path: Path) -> dict[bytes, str]:
    try:
        with path.open("rb") as handle:
            bodies = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
        return {}
    return bodies if isinstance(bodies, dict) else {}


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The code that makes a bundle: this module, the normaliser, camel-tools and Pagefind."""
    import camel_tools

    from sitegen.extract import text

    digest = hashlib.sha256(getattr(camel_tools, "__version__", "").encode())
    for module in (text, search_text):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).read_bytes())
    binary = get_executable()
    if binary is not None and binary.is_file():
        stat = binary.stat()
        digest.update(f"{binary}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _run_pagefind(records: Path, bundle: Path) -> None:
    """Index one language's record files with Pagefind's binary, run over the folder.

    The binary the Python API would start (from the `pagefind[bin]` wheel),
    run as its command line: the same bundle, byte for byte, for a tenth less
    time than the API's service, and no event loop to share with the caller.
    """
    binary = get_executable()
    if binary is None:
        raise FileNotFoundError("Pagefind's binary is missing: install pagefind[bin]")
    command = [str(binary), "--site", str(records), "--output-path", str(bundle.resolve())]
    result = subprocess.run([*command, "--silent"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"pagefind failed ({result.returncode}): {result.stderr.strip()}")
