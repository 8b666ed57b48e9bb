"""`sitegen extract PATH... [--json] [--today YYYY-MM-DD]`: print the facts of raw articles.

One JSON object for a single file, an array for several files or a folder
(sorted paths); without --json a readable table. A bad file gets a message
naming it, the others are still extracted, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="raw article files or folders")
    parser.add_argument("--json", action="store_true", help="print JSON (FACTS.md keys)")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="reference date for dates without a year (default: the day of the run)",
    )


def run(args: argparse.Namespace) -> int:
    from sitegen.extract import extract_facts
    from sitegen.rawtext import RawInputError, iter_raw_files, read_raw_article

    files = iter_raw_files(args.paths)
    failed = 0
    results = []
    for path in files:
        try:
            text = read_raw_article(path)
        except RawInputError as exc:
            failed += 1
            print(f"sitegen extract: {exc}", file=sys.stderr)
            continue
        results.append(extract_facts(text, str(path), today=args.today))
    if args.json:
        single = len(args.paths) == 1 and Path(args.paths[0]).is_file()
        payload = results[0] if single and results else results
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for facts in results:
            print(format_table(facts))
    if failed:
        print(
            f"sitegen extract: {failed} of {len(files)} file(s) could not be read", file=sys.stderr
        )
    return 1 if failed else 0


def _officials(facts: dict) -> str:
    rows = []
    for person in facts["officials"]:
        known = "" if person["known"] else " [new]"
        country = f" ({person['country']})" if person["country"] else ""
        rows.append(f"{person['name_ar']} — {person['name_en'] or '?'}{country}{known}")
    return "\n".join(rows)


def format_table(facts: dict) -> str:
    """A readable two-column view of one article's facts."""
    fields = [
        ("title", facts["title_ar"]),
        ("outlet", facts["outlet_ar"]),
        ("author", facts["author_ar"]),
        ("published", facts["published"]),
        ("event date", facts["event_date"]),
        ("dates", ", ".join(d["date"] for d in facts["dates"])),
        ("officials", _officials(facts)),
        ("countries", ", ".join(facts["countries"])),
        ("places", ", ".join(p["name_en"] for p in facts["places"])),
        ("topics", ", ".join(facts["topics"])),
        ("summary", facts["summary_ar"]),
    ]
    width = max(len(name) for name, _ in fields)
    lines = [f"== {facts['source']}"]
    for name, value in fields:
        text = str(value) if value not in (None, "") else "—"
        first, *rest = text.split("\n")
        lines.append(f"{name:<{width}}  {first}")
        lines.extend(f"{'':<{width}}  {line}" for line in rest)
    return "\n".join(lines) + "\n"
