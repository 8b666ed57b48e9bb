"""The `sitegen` command line: a thin dispatcher over one module per command.

Each command lives in `sitegen.commands.<name>` and exposes
`configure(parser)` and `run(args) -> int`. Modules are imported lazily so
`sitegen extract` does not pay for Jinja or Playwright, and so each command
can be developed and tested alone.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

COMMANDS: dict[str, str] = {
    "extract": "print the facts of raw articles",
    "ingest": "turn raw articles into editable content files",
    "check": "validate content/ and report errors with file and line",
    "translate": "fill English titles and summaries, with provenance",
    "build": "render the bilingual site into public/",
    "serve": "build, serve with live reload, rebuild on change",
    "diff": "summarise what changed between two built sites",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, help_text in COMMANDS.items():
        module = _command_module(name)
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        module.configure(command_parser)
        command_parser.set_defaults(_run=module.run)
    return parser


def _command_module(name: str):
    return importlib.import_module(f"sitegen.commands.{name}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (`| head`) went away: stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
