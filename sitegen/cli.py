"""The `sitegen` command line: a thin dispatcher over one module per command.

Each command lives in `sitegen.commands.<name>` and exposes
`configure(parser)` and `run(args) -> int`. Modules are imported lazily so
`sitegen extract` does not pay for Jinja or Playwright, and so each command
can be developed and tested alone.
"""

from __future__ import annotations

import argparse
import gc
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


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given `argv` naming a command, only that command's module is imported
    (the others are listed by name for `--help`, and import their modules only when named)."""
    chosen = _chosen_command(argv)
    parser = argparse.ArgumentParser(prog="sitegen", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, help_text in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if chosen in (None, name):
            module = _command_module(name)
            module.configure(command_parser)
            command_parser.set_defaults(_run=module.run)
    return parser


def _chosen_command(argv: list[str] | None) -> str | None:
    """The command `argv` names first, when it names one (options may come before it)."""
    return next((arg for arg in argv if not arg.startswith("-")), None) if argv else None


def _command_module(name: str):
    return importlib.import_module(f"sitegen.commands.{name}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
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


def run() -> None:
    """The `sitegen` program: `main`, then exit without a last garbage collection.

    At exit Python collects every object left, once more: after a build of
    10,000 articles that walk over the site model takes a quarter of a second,
    a quarter of a one-article rebuild, to free memory the OS frees anyway.
    Frozen objects are left out of it (exit handlers still run).
    """
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
