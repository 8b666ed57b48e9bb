"""Ingest: raw articles → content files, without ever losing an editor's work.

One content file per raw article, found again on re-ingest by its `source:`.
Work is reused: an article whose raw text and extractor (code, data and
registry) are unchanged is not extracted again. A bad raw file or a content
file an editor broke is reported by name and the run goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sitegen import content, frontmatter
from sitegen.frontmatter import ContentError, Document
from sitegen.rawtext import RawInputError, iter_raw_files, read_raw_article

Extractor = Callable[..., dict]
_PACKAGE = Path(__file__).resolve().parent
# What extraction depends on besides the raw text: a change here re-extracts all.
_EXTRACTOR_PARTS = ("extract", "data", "registry.py")
_DATA_SUFFIXES = {".py", ".yaml", ".yml", ".json", ".txt", ".po", ".csv"}


@dataclass
class UnknownOfficial:
    """A name the registry lacks, with the articles it appears in."""

    id: str
    name_ar: str | None
    name_en: str | None
    country: str | None
    role_ar: str | None
    articles: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What a run did, for the summary and for tests."""

    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    # Of the unchanged, those rewritten only for their `ingest:` stamp (a new
    # extractor, or a raw file whose edit changes no fact).
    restamped: list[Path] = field(default_factory=list)
    kept: dict[Path, list[str]] = field(default_factory=dict)
    unknown: dict[str, UnknownOfficial] = field(default_factory=dict)
    vanished: list[tuple[Path, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    extracted: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Existing:
    path: Path
    doc: Document | None  # None when the file does not parse
    error: str | None = None


def ingest(
    paths: Iterable[Path | str],
    content_dir: Path,
    *,
    extract: Extractor | None = None,
    registry: Any = None,
    today: dt.date | None = None,
    force: bool = False,
    fingerprint: str | None = None,
    progress: TextIO | None = None,
    on_problem: Callable[[str], None] | None = None,
) -> Report:
    """Ingest raw files (or folders of *.txt) into `content_dir/articles`."""
    content_dir = Path(content_dir)
    report = Report()
    note = _problem_sink(report, on_problem)
    if extract is None:
        from sitegen.extract import extract_facts as extract
    if registry is None:
        registry = _load_registry(content_dir, note)
    fingerprint = fingerprint or extractor_fingerprint(content_dir)
    index, taken = _index(content_dir)
    home = _home_country(content_dir)
    paths = list(paths)
    files = iter_raw_files(paths)
    if not files:
        note(f"no raw articles (*.txt) in {', '.join(map(str, paths)) or 'the given paths'}")
    seen: set[str] = set()
    meter = _Progress(len(files), progress)
    for number, raw_path in enumerate(files, 1):
        key = content.source_key(raw_path, content_dir)
        seen.add(key)
        job = _Job(raw_path, key, content_dir, registry, today, fingerprint, force, home)
        job.run(index.get(key), taken, extract, report, note)
        meter.tick(number)
    meter.done()
    _find_vanished(index, seen, content_dir, report)
    return report


@dataclass
class _Job:
    """Ingest of one raw file."""

    raw_path: Path
    key: str
    content_dir: Path
    registry: Any
    today: dt.date | None
    fingerprint: str
    force: bool
    home: str | None = None

    def run(self, existing, taken, extract, report: Report, note) -> None:
        try:
            text = read_raw_article(self.raw_path)
        except RawInputError as exc:
            note(str(exc))
            return
        if existing is not None and existing.doc is None:
            note(f"{existing.path}: not re-ingested, fix this file first: {existing.error}")
            return
        sha = content.text_sha256(text)
        if existing is not None and self._unchanged(existing.doc, sha):
            report.unchanged.append(existing.path)
            _collect_unknown(existing.doc.meta, report)
            return
        reference = self._reference(existing)
        facts = self._extract(extract, text, reference, note)
        if facts is None:
            return
        report.extracted += 1
        if not str(facts.get(content.BODY_FIELD) or "").strip():
            kept = f"; {existing.path} kept as it is" if existing is not None else ""
            note(f"{self.raw_path}: no article text found, only page furniture: not ingested{kept}")
            return
        self._write(facts, existing, sha, reference, taken, report, note)

    def _unchanged(self, doc: Document, sha: str) -> bool:
        ingest = doc.meta.get(content.INGEST_KEY)
        if self.force or not isinstance(ingest, dict):
            return False
        return ingest.get("source_sha256") == sha and ingest.get("extractor") == self.fingerprint

    def _reference(self, existing: _Existing | None) -> dt.date:
        """The reference date for dates without a year: --today, else the one
        recorded at first ingest, so re-extraction years later reads them alike."""
        if self.today is not None:
            return self.today
        ingest = existing.doc.meta.get(content.INGEST_KEY) if existing and existing.doc else None
        recorded = ingest.get("today") if isinstance(ingest, dict) else None
        try:
            return dt.date.fromisoformat(str(recorded))
        except ValueError:
            return dt.date.today()

    def _extract(self, extract, text: str, reference: dt.date, note) -> dict | None:
        try:
            return extract(text, self.key, today=reference, registry=self.registry)
        except Exception as exc:  # one article's bug must not stop the run
            note(f"{self.raw_path}: extraction failed: {type(exc).__name__}: {exc}")
            return None

    def _write(self, facts: dict, existing, sha: str, reference, taken, report, note) -> None:
        """Merge and write one article; a fact that cannot be stored or a file that
        cannot be written is reported like a bad raw file."""
        try:
            self._merge_and_write(facts, existing, sha, reference, taken, report)
        except (OSError, TypeError, ValueError) as exc:
            note(f"{self.raw_path}: not written: {exc}")

    def _merge_and_write(self, facts, existing, sha: str, reference, taken, report) -> None:
        bookkeeping = {
            "source_sha256": sha,
            "extractor": self.fingerprint,
            "today": reference.isoformat(),
        }
        if existing is None:
            slug = content.make_slug(facts, taken, self._country_name, self.home)
            taken.add(slug)
            path = self.content_dir / content.ARTICLES_DIR / f"{slug}.md"
            merged = content.new_article(facts, slug, self.key, bookkeeping)
        else:
            path = existing.path
            merged = content.merge_article(existing.doc, facts, bookkeeping)
        if existing is None:
            frontmatter.write(path, merged.meta, merged.body)
            report.created.append(path)
        else:
            self._rewrite(path, existing.doc, merged, report)
        if merged.kept:
            report.kept[path] = merged.kept
        _collect_unknown(merged.meta, report)

    @staticmethod
    def _rewrite(path: Path, old: Document, merged: Any, report: Report) -> None:
        """Write a re-extracted article only if it differs: an identical file keeps its
        mtime, so an incremental build does not even read it again."""
        if _visible(merged.meta, merged.body) != _visible(old.meta, old.body):
            report.updated.append(path)
        elif merged.meta.get(content.INGEST_KEY) != old.meta.get(content.INGEST_KEY):
            report.unchanged.append(path)
            report.restamped.append(path)
        else:
            report.unchanged.append(path)
            return
        frontmatter.write(path, merged.meta, merged.body)

    def _country_name(self, iso: str) -> str:
        try:
            return self.registry.country_name(iso, "en")
        except Exception:
            return iso


def _visible(meta: dict, body: str) -> tuple:
    """What an editor sees of an article: all but the ingest bookkeeping."""
    return {k: v for k, v in meta.items() if k != content.INGEST_KEY}, body.strip()


def _problem_sink(report: Report, on_problem):
    def note(message: str) -> None:
        report.problems.append(message)
        if on_problem:
            on_problem(message)

    return note


def _load_registry(content_dir: Path, note):
    from sitegen.registry import Registry, load_registry

    if not (Path(content_dir) / "registry").is_dir():
        # Not a failure (a new dossier may start empty), but every official will be
        # "new" and no topic will match: say so rather than degrade silently.
        print(
            f"ingest: warning: {Path(content_dir) / 'registry'} does not exist: no known "
            "officials, places, outlets or topics will be matched",
            file=sys.stderr,
        )
    try:
        return load_registry(content_dir)
    except ContentError as exc:
        note(f"{exc} (registry not loaded: nothing matches known officials)")
        return Registry()


def _home_country(content_dir: Path) -> str | None:
    """The site's own country (site.yaml `home_country`), which slugs name last."""
    from sitegen.settings import load_settings

    try:
        return load_settings(content_dir).home_country
    except (ContentError, ValueError, TypeError):
        return None


def _index(content_dir: Path) -> tuple[dict[str, _Existing], set[str]]:
    """Existing content files by `source:`, and the slugs already taken."""
    index: dict[str, _Existing] = {}
    taken: set[str] = set()
    for path in content.article_files(content_dir):
        taken.add(path.stem)
        try:
            doc = content.read_document(path)
        except ContentError as exc:
            source = content.source_of_broken_file(path)
            if source:
                index[source] = _Existing(path, None, str(exc))
            continue
        source = doc.meta.get("source")
        if isinstance(source, str):
            index[source] = _Existing(path, doc)
        if isinstance(doc.meta.get("slug"), str):
            taken.add(doc.meta["slug"])
    return index, taken


def _find_vanished(index, seen: set[str], content_dir: Path, report: Report) -> None:
    for source, existing in sorted(index.items()):
        if source not in seen and not content.source_path(source, content_dir).exists():
            report.vanished.append((existing.path, source))


def _collect_unknown(meta: dict, report: Report) -> None:
    officials = meta.get("officials")
    if not isinstance(officials, list):
        return
    slug = str(meta.get("slug"))
    for official in officials:
        if not isinstance(official, dict) or official.get("known", True):
            continue
        ident = str(official.get("id") or official.get("name_ar") or "?")
        entry = report.unknown.setdefault(
            ident,
            UnknownOfficial(
                ident,
                official.get("name_ar"),
                official.get("name_en"),
                official.get("country"),
                official.get("role_ar"),
            ),
        )
        if slug not in entry.articles:
            entry.articles.append(slug)


def extractor_fingerprint(content_dir: Path) -> str:
    """Hash of the extractor's code and data and of the registry: when it changes,
    unchanged raw texts are extracted again so improvements reach the content."""
    digest = hashlib.sha256()
    roots = [_PACKAGE / part for part in _EXTRACTOR_PARTS]
    roots.append(Path(content_dir) / "registry")
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for path in files:
            if path.is_file() and path.suffix in _DATA_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


class _Progress:
    """Progress on stderr: a live line on a terminal, a line every N files in logs."""

    EVERY = 500
    INTERVAL = 0.2

    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.total = total
        self.stream = stream
        self.live = bool(stream and stream.isatty())
        self.last = 0.0

    def tick(self, number: int) -> None:
        if self.stream is None:
            return
        if self.live:
            now = time.monotonic()
            if now - self.last >= self.INTERVAL or number == self.total:
                self.last = now
                self.stream.write(f"\ringest: {number}/{self.total} files")
                self.stream.flush()
        elif number % self.EVERY == 0 and number < self.total:
            print(f"ingest: {number}/{self.total} files", file=self.stream, flush=True)

    def done(self) -> None:
        if self.stream is not None and self.live and self.last:
            self.stream.write("\n")
            self.stream.flush()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _restamped(report: Report) -> str:
    if not report.restamped:
        return ""
    files = _count(len(report.restamped), "file")
    return f" ({files} re-stamped only: the same facts from a new extractor or raw text)"


def format_report(report: Report) -> str:
    """The end-of-run summary editors read."""
    new, updated = len(report.created), len(report.updated)
    edits = sum(map(len, report.kept.values()))
    counts = [
        f"{_count(edits, 'edit')} kept in {_count(len(report.kept), 'file')}",
        _count(len(report.unknown), "unknown official"),
        _count(len(report.vanished), "vanished seed"),
        _count(len(report.problems), "problem"),
    ]
    lines = [
        f"ingest: {_count(new + updated, 'article')} written ({new} new, {updated} updated), "
        f"{len(report.unchanged)} unchanged{_restamped(report)}; " + "; ".join(counts)
    ]
    for path, fields in sorted(report.kept.items()):
        lines.append(f"  kept edits: {path}: {', '.join(fields)}")
    if report.unknown:
        lines.append("  officials not in the registry (add them to registry/officials.yaml):")
    for official in sorted(report.unknown.values(), key=lambda o: o.id):
        who = ", ".join(str(x) for x in (official.name_ar, official.name_en, official.country) if x)
        lines.append(f"    {official.id} ({who}) in {', '.join(official.articles)}")
    for path, source in report.vanished:
        lines.append(f"  seed gone: {path} (source {source} no longer exists; file kept)")
    for problem in report.problems:
        lines.append(f"  problem: {problem}")
    return "\n".join(lines)
