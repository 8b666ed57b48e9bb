"""`sitegen translate`: fill English titles and summaries, recording where each came from."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import frontmatter
from sitegen.frontmatter import ContentError

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_PROVIDER_FAILED = 3

EPILOG = f"""\
English written by an editor (a field without meta, or with by: editor) is
never overwritten; when its Arabic changed since, it is reported as stale.
Machine and generated English whose Arabic changed is redone; generated English
is rewritten from the current facts on every run. A run with nothing to do
makes no request.

exit status:
  {EXIT_OK}  done (or nothing to do)
  {EXIT_USAGE}  usage or content error (unknown --only slug, unreadable file, missing key)
  {EXIT_PROVIDER_FAILED}  the online provider failed for at least one article; the offline
     English was written instead (labelled generated), so run again later
"""


def configure(parser: argparse.ArgumentParser) -> None:
    from sitegen.translate import DEFAULT_TIMEOUT, PROVIDERS

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument(
        "--provider",
        choices=PROVIDERS,
        default="offline",
        help="offline (default) writes English from the extracted facts; the others "
        "translate title_ar and summary_ar through deep-translator",
    )
    parser.add_argument("--libre-url", help="LibreTranslate server (libre provider)")
    parser.add_argument(
        "--api-key",
        default=os.environ.get("SITEGEN_TRANSLATE_API_KEY"),
        help="API key for libre or deepl (default: $SITEGEN_TRANSLATE_API_KEY)",
    )
    parser.add_argument("--only", metavar="SLUG", help="translate only this article")
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would be done; no request, no write"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"deadline of each online request (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--content", type=Path, default=Path("content"), help="content folder (default: content)"
    )


@dataclass
class _Tally:
    articles: int = 0
    written: int = 0
    failed: int = 0
    errors: int = 0
    stale: list[str] = field(default_factory=list)


def run(args: argparse.Namespace) -> int:
    from sitegen import translate as tr

    paths = _article_paths(args.content, args.only)
    if paths is None:
        return EXIT_USAGE
    online = None
    if args.provider != "offline":
        try:
            func = tr.make_translator(args.provider, args.api_key, args.libre_url)
        except Exception as exc:  # deep-translator's own setup errors included
            print(f"translate: {args.provider}: {_reason(exc)}", file=sys.stderr)
            return EXIT_USAGE
        online = tr.OnlineTranslator(args.provider, func, args.timeout)
    registry = _registry(args.content)
    tally = _Tally()
    guard = nullcontext() if online is None else tr.requests_timeout(args.timeout)
    with guard:
        for path in paths:
            _one(path, args, online, registry, tally)
    _report(args, online, tally)
    if tally.errors:
        return EXIT_USAGE
    return EXIT_PROVIDER_FAILED if tally.failed else EXIT_OK


def _reason(exc: Exception) -> str:
    """deep-translator's messages span lines; keep the first meaningful one."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _article_paths(content: Path, only: str | None) -> list[Path] | None:
    folder = content / "articles"
    if not folder.is_dir():
        print(f"translate: no articles folder: {folder}", file=sys.stderr)
        return None
    paths = sorted(folder.glob("*.md"))
    if only is None:
        return paths
    chosen = [p for p in paths if p.stem == only or _slug_of(p) == only]
    if not chosen:
        print(f"translate: no article with slug '{only}' in {folder}", file=sys.stderr)
        return None
    return chosen


def _slug_of(path: Path) -> str | None:
    try:
        return frontmatter.read(path).meta.get("slug")
    except ContentError:
        return None


def _registry(content: Path):  # type: ignore[no-untyped-def]
    """The registry for English names; without it the articles' own fields still serve."""
    from sitegen.registry import load_registry

    try:
        return load_registry(content)
    except ContentError as exc:
        print(f"translate: registry not used: {exc}", file=sys.stderr)
        return None


def _one(path: Path, args: argparse.Namespace, online, registry, tally: _Tally) -> None:  # type: ignore[no-untyped-def]
    from sitegen import translate as tr

    try:
        doc = frontmatter.read(path)
    except ContentError as exc:
        print(f"translate: {exc}", file=sys.stderr)
        tally.errors += 1
        return
    slug = str(doc.meta.get("slug") or path.stem)
    tally.articles += 1
    if args.dry_run:
        _dry_run(slug, doc.meta, args.provider, registry, tally)
        return
    outcome = tr.translate_article(doc.meta, args.provider, online, registry)
    for name in outcome.stale_editor:
        _stale_line(slug, name, tally)
    if outcome.failure:
        tally.failed += 1
        what = " and ".join(outcome.fallback)
        failure = outcome.failure
        how = "not tried (it failed earlier: {})" if failure.skipped else "failed ({})"
        verb = "wrote" if any(name in outcome.written for name in outcome.fallback) else "kept"
        print(
            f"translate: {slug}: {args.provider} {how.format(failure.reason)}; "
            f"{verb} the offline {what}",
            file=sys.stderr,
        )
    if outcome.written and frontmatter.write(path, doc.meta, doc.body):
        tally.written += len(outcome.written)
        done = ", ".join(f"{name}_en ({by})" for name, by in outcome.written.items())
        print(f"{slug}: wrote {done}")


def _stale_line(slug: str, name: str, tally: _Tally) -> None:
    tally.stale.append(f"{slug}:{name}_en")
    print(
        f"translate: {slug}: {name}_en is the editor's and {name}_ar changed since it "
        "was written; review it by hand",
        file=sys.stderr,
    )


def _dry_run(slug: str, meta: dict, provider: str, registry, tally: _Tally) -> None:  # type: ignore[no-untyped-def]
    from sitegen import translate as tr

    plan = tr.plan_article(meta, provider)
    for name in plan.stale_editor:
        _stale_line(slug, name, tally)
    for name, reason in plan.jobs.items():
        arabic = meta.get(f"{name}_ar")
        if provider != "offline" and isinstance(arabic, str) and arabic.strip():
            print(f"{slug}: would translate {name}_ar with {provider} ({reason})")
            tally.written += 1
            continue
        make = tr.offline_title if name == "title" else tr.offline_summary
        print(f"{slug}: would write generated {name}_en ({reason}): {make(meta, registry)}")
        tally.written += 1


def _report(args: argparse.Namespace, online, tally: _Tally) -> None:  # type: ignore[no-untyped-def]
    requests = f", {online.requests} request(s) to {online.name}" if online else ""
    verb = "would write" if args.dry_run else "wrote"
    if not args.dry_run and not tally.written and not tally.failed:
        print(f"translate: nothing to do in {tally.articles} article(s){requests}")
        return
    print(f"translate: {tally.articles} article(s), {verb} {tally.written} field(s){requests}")
