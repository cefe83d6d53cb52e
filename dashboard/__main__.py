"""Command line: ``python -m dashboard [serve|validate] ...``."""
from __future__ import annotations

import argparse
import logging
import os
import sys

from .data import load_files


def _validate(args: argparse.Namespace) -> int:
    result = load_files(args.paths)
    for message in result.file_errors:
        print(f"error: {message}")
    for problem in result.problems:
        print(problem)
    print(result.summary())
    if result.file_errors:
        return 2
    rejecting = any(p.rejects_row for p in result.problems)
    return 1 if rejecting or result.rejected else 0


def _serve(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    os.environ["DASHBOARD_DATA"] = os.pathsep.join(args.data)
    from .app import app  # loads DASHBOARD_DATA once and logs what it found

    if not len(app.dataset.incidents):
        print("error: no incident could be loaded; nothing to serve", file=sys.stderr)
        return 2
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


def main(argv: list[str] | None = None) -> int:
    from .data import DEFAULT_DATA

    parser = argparse.ArgumentParser(prog="python -m dashboard",
                                     description="Pakistan Militancy Dashboard")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="serve the dashboard (the default command)")
    for p in (parser, serve):
        p.add_argument("--data", nargs="+", default=[str(p) for p in DEFAULT_DATA],
                       metavar="PATH", help="incident files (CSV, .xlsx, .parquet)")
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8050)
        p.add_argument("--debug", action="store_true", help="Dash debug mode (never in production)")
    check = sub.add_parser("validate", help="check incident files and report every problem")
    check.add_argument("paths", nargs="+", metavar="PATH")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return _validate(args)
    return _serve(args)


if __name__ == "__main__":
    sys.exit(main())
