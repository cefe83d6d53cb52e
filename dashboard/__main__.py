"""Command line: ``python -m dashboard [serve|validate] ...``."""
from __future__ import annotations

import argparse
import logging
import os
import sys

from .data import DataFileError, load_file


def _validate(args: argparse.Namespace) -> int:
    rows_in = accepted = 0
    unreadable = rejecting = False
    for path in args.paths:
        try:
            result = load_file(path)
        except DataFileError as exc:
            print(f"error: {exc}")
            unreadable = True
            continue
        for problem in result.problems:
            print(problem)
            rejecting |= problem.rejects_row
        rows_in += result.rows_in
        accepted += result.accepted
    print(f"{rows_in} rows: {accepted} accepted, {rows_in - accepted} rejected")
    if unreadable:
        return 2
    return 1 if rejecting or accepted < rows_in else 0


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
