"""`sitegen build`: render content/ into the bilingual static site, atomically.

The site is rendered into a temporary folder beside the output and swapped in
only when everything succeeded, so a failed build leaves the previous
`public/` as it was and says what failed.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sitegen.commands import missing_content
from sitegen.frontmatter import ContentError

VALIDATE_MODULE = "sitegen.validate"


class BuildError(Exception):
    """The build stopped; the message says why (file and line where known)."""


@dataclass
class BuildResult:
    out_dir: Path
    pages: int
    seconds: float
    warnings: list[str]
    rendered: int | None = None  # pages rendered by an incremental build
    drafts: int = 0  # articles marked draft that the site leaves out


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    parser.add_argument("--out", type=Path, default=Path("public"), help="output folder")
    parser.add_argument("--base-url", default=None, help="site URL or path (default: site.yaml)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--templates", type=Path, default=None, help="templates folder")
    parser.add_argument("--jobs", type=int, default=None, help="render processes (default: cores)")
    parser.add_argument("--no-search", action="store_true", help="skip the search index")
    parser.add_argument(
        "--drafts", action="store_true", help="include articles marked draft: true (a preview)"
    )
    # --- incremental builds (sitegen.incremental) ---
    parser.add_argument(
        "--cache", type=Path, default=Path(".sitegen-cache"), help="build cache folder"
    )
    parser.add_argument("--no-cache", action="store_true", help="clean build, no cache")


def run(args: argparse.Namespace) -> int:
    # One build and the process ends: its objects live to the end, so the cyclic
    # collector would only walk them (a full pass after a build is a quarter second).
    gc.disable()
    try:
        result = build(
            args.content,
            args.out,
            base_url=args.base_url,
            strict=args.strict,
            templates_dir=args.templates,
            workers=args.jobs,
            search=not args.no_search,
            cache_dir=None if args.no_cache else args.cache,
            drafts=args.drafts,
        )
    except BuildError as exc:
        print(f"sitegen build: failed: {exc}", file=sys.stderr)
        print(f"sitegen build: {args.out} was left as it was", file=sys.stderr)
        return 1
    print_warnings(result.warnings)
    rendered = "" if result.rendered is None else f" ({result.rendered} rendered)"
    print(
        f"built {result.pages} pages{rendered} into {result.out_dir} in {result.seconds:.2f} s"
        + drafts_left_out(result.drafts)
    )
    return 0


def drafts_left_out(count: int) -> str:
    """What a build says of the drafts it left out, if any."""
    if not count:
        return ""
    if count == 1:
        return "; 1 draft left out (--drafts shows it)"
    return f"; {count} drafts left out (--drafts shows them)"


# A dossier being built up can have thousands of warnings (English not written
# yet); a build shows the first ones and a count, `sitegen check` lists them all.
SHOWN_WARNINGS = 20


def print_warnings(warnings: list[str], shown: int = SHOWN_WARNINGS) -> None:
    for warning in warnings[:shown]:
        print(warning, file=sys.stderr)
    if len(warnings) > shown:
        rest = len(warnings) - shown
        print(f"… and {rest} more warning(s): `sitegen check` lists them all", file=sys.stderr)


def build(
    content_dir: Path,
    out_dir: Path,
    base_url: str | None = None,
    strict: bool = False,
    templates_dir: Path | None = None,
    workers: int | None = None,
    search: bool = True,
    cache_dir: Path | None = None,
    drafts: bool = False,
) -> BuildResult:
    """Validate, load, render and publish; swap the result into `out_dir`."""
    if problem := missing_content(content_dir):
        raise BuildError(f"{content_dir}: {problem}")
    if cache_dir is not None:  # incremental: only what changed (sitegen.incremental)
        from sitegen.incremental import build_with_cache

        args = (base_url, strict, templates_dir, workers, search, drafts)
        return build_with_cache(content_dir, out_dir, cache_dir, *args)
    from sitegen import render
    from sitegen.publish import publish_search, start_extras
    from sitegen.settings import load_settings
    from sitegen.site import load_site

    started = time.perf_counter()
    templates_dir = Path(templates_dir or render.TEMPLATES_DIR)
    with build_errors(), paused_gc():
        settings = load_settings(content_dir).with_base_url(base_url).with_drafts(drafts)
        warnings = _validate(content_dir, strict)
        site = load_site(content_dir, settings)
        renderer = render.Renderer(site, templates_dir)
        base = render.environment_digest(site, templates_dir, content_dir)
        jobs = render.plan_pages(site, base)
        with atomic_output(Path(out_dir)) as tmp:
            extras = start_extras(renderer, jobs, tmp)
            try:
                pages = render.write_pages(renderer, jobs, tmp, workers)
            finally:
                extras()
            if search:
                publish_search(renderer, tmp)
    seconds = time.perf_counter() - started
    return BuildResult(Path(out_dir), pages, seconds, warnings, drafts=len(site.left_out))


@contextmanager
def paused_gc():
    """No cyclic garbage collection while building.

    A build makes hundreds of thousands of long-lived objects (articles,
    events, fingerprints); each collection walks them all again: with the
    collector on, building the model and planning the pages of 10,000
    articles take 40 % longer. What a build leaves as cyclic garbage is
    collected after it (serve collects when idle). Forked render workers
    freeze what they inherit and collect as usual (`render.worker_gc`).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def build_errors():
    """Turn content, template and publishing errors into one BuildError that says where."""
    try:
        yield
    except ContentError as exc:
        raise BuildError(str(exc)) from exc
    except BuildError:
        raise
    except Exception as exc:  # a template or publishing error: say where, keep public/
        raise BuildError(_describe(exc)) from exc


def _validate(content_dir: Path, strict: bool) -> list[str]:
    """Run `sitegen check`'s validation when it exists; errors (and, strict, warnings) fail."""
    if importlib.util.find_spec(VALIDATE_MODULE) is None:
        return []
    from sitegen.registry import load_registry

    validate = importlib.import_module(VALIDATE_MODULE)
    issues = validate.validate_content(Path(content_dir), load_registry(content_dir))
    lines = [_issue_line(i) for i in issues]
    failing = [line for i, line in zip(issues, lines, strict=True) if i.level == "error" or strict]
    if failing:
        raise BuildError(f"{len(failing)} problem(s) in {content_dir}:\n" + "\n".join(failing))
    return lines


def _issue_line(issue) -> str:
    where = f"{issue.path}:{issue.line}" if getattr(issue, "line", None) else f"{issue.path}"
    return f"{where}: {issue.level}: {issue.message}"


def _describe(exc: Exception) -> str:
    """Template errors name the template file and line."""
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}: template error: {exc.message}"
    if isinstance(exc, jinja2.TemplateError):
        return f"template error: {exc}"
    return f"{type(exc).__name__}: {exc}"


@contextmanager
def atomic_output(out_dir: Path):
    """Yield a fresh folder beside `out_dir`; on success it replaces `out_dir`."""
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        tmp.chmod(0o755)
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = tmp.with_name(tmp.name.replace(".new-", ".old-", 1))  # unique, like tmp
    if out_dir.exists():
        out_dir.rename(old)
    tmp.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
