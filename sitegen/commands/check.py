"""`sitegen check`: validate content/ and report every problem with file and line."""

from __future__ import annotations

import argparse
from pathlib import Path

from sitegen.commands import missing_content


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")


def run(args: argparse.Namespace) -> int:
    from sitegen.validate import ERROR, validate_content

    if problem := missing_content(args.content):
        print(f"{args.content}: error: {problem}")
        return 1
    issues = validate_content(args.content)
    for issue in issues:
        print(issue)
    errors = sum(issue.level == ERROR for issue in issues)
    warnings = len(issues) - errors
    files = len({issue.path for issue in issues})
    print(f"check: {errors} errors, {warnings} warnings in {files} files")
    return 1 if errors or (args.strict and warnings) else 0
