"""`sitegen diff OLD_PUBLIC NEW_PUBLIC`: a Markdown summary of what changed.

The preview workflow posts this as a pull-request comment, so it is written
for GitHub: headings, tables, counts, capped lists.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", type=Path, metavar="OLD_PUBLIC", help="the site before")
    parser.add_argument("new", type=Path, metavar="NEW_PUBLIC", help="the site after")
    parser.add_argument(
        "-o", "--output", type=Path, help="write the Markdown here instead of to stdout"
    )


def run(args: argparse.Namespace) -> int:
    from sitegen.diff import diff_sites, to_markdown

    for path in (args.old, args.new):
        if not path.is_dir():
            print(f"sitegen diff: {path}: not a directory", file=sys.stderr)
            return 2
    text = to_markdown(diff_sites(args.old, args.new))
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
