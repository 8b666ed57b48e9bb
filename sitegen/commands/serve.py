"""`sitegen serve`: build, serve public/ with live reload, rebuild on change."""

from __future__ import annotations

import argparse
import errno
import signal
import socket
import sys
from pathlib import Path

from sitegen.commands import missing_content
from sitegen.incremental import DEFAULT_CACHE
from sitegen.serve import HOST


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument(
        "--bind",
        default=HOST,
        metavar="ADDRESS",
        help=f"address to listen on (default: {HOST}; 0.0.0.0 for the local network)",
    )
    parser.add_argument(
        "--open", action="store_true", help="open the site in the browser once it is served"
    )
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    parser.add_argument("--out", type=Path, default=Path("public"), help="output folder")
    parser.add_argument("--templates", type=Path, default=None, help="templates folder")
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), help="raw articles to watch")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="build cache folder")
    parser.add_argument("--base-url", default="/", help="site path (default: /)")
    parser.add_argument("--jobs", type=int, default=None, help="render processes (default: cores)")
    parser.add_argument("--no-search", action="store_true", help="skip the search index")
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")


def run(args: argparse.Namespace) -> int:
    from sitegen.incremental import Builder
    from sitegen.serve import serve

    if problem := missing_content(args.content):
        print(f"sitegen serve: {args.content}: {problem}", file=sys.stderr)
        return 1
    builder = Builder(
        args.content,
        args.out,
        args.cache,
        base_url=args.base_url,
        templates_dir=args.templates,
        workers=args.jobs,
        search=not args.no_search,
        drafts=args.drafts,
    )
    # A terminated server stops like an interrupted one: the build cache is written.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        serve(builder, args.port, args.templates, args.seeds, args.bind, args.open)
    except OSError as exc:  # the port is taken, most often
        print(
            f"sitegen serve: cannot serve on {args.bind}:{args.port}: {exc.strerror or exc}"
            f" (choose another with {_option_to_change(exc)})",
            file=sys.stderr,
        )
        return 1
    return 0


def _option_to_change(exc: OSError) -> str:
    """A name that does not resolve, an address not on this machine or of a family it
    lacks (IPv6 turned off) is --bind's fault."""
    if isinstance(exc, socket.gaierror) or exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
        return "--bind"
    return "--port"
