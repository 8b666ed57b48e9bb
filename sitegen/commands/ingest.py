"""`sitegen ingest`: raw articles become content files editors can correct."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "seeds",
        nargs="*",
        type=Path,
        default=[Path("seeds")],
        metavar="SEEDS",
        help="raw article files or folders of *.txt (default: seeds/)",
    )
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    parser.add_argument(
        "--today",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="reference date for dates without a year (default: the one recorded when the "
        "article was first ingested, else the day of the run)",
    )
    parser.add_argument(
        "--force", action="store_true", help="extract again even articles whose text is unchanged"
    )


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {value!r}") from exc


def run(args: argparse.Namespace) -> int:
    from sitegen.ingest import format_report, ingest

    # On a terminal, clear the live progress line before a problem is printed.
    clear = "\r\033[K" if sys.stderr.isatty() else ""

    def show(message: str) -> None:
        print(f"{clear}ingest: {message}", file=sys.stderr)

    report = ingest(
        args.seeds,
        args.content,
        today=args.today,
        force=args.force,
        progress=sys.stderr,
        on_problem=show,
    )
    print(format_report(report))
    return 0 if report.ok else 1
