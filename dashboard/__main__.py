"""Command line: ``python -m dashboard [serve|validate|export|import] ...``."""
from __future__ import annotations

import argparse
import logging
import os
import sys

from .data import load_files
from .importers import DUPLICATES, FORMATS


def _load_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="auto",
                   help="format of the files (default: told apart per file by its columns)")
    p.add_argument("--duplicates", choices=DUPLICATES, default="keep",
                   help="likely duplicates across files: report and keep both (default), or "
                        "drop the later one")


def _validate(args: argparse.Namespace) -> int:
    result = load_files(args.paths, fmt=args.format, duplicates=args.duplicates)
    for message in result.file_errors:
        print(f"error: {message}")
    for problem in result.problems:
        print(problem)
    print(result.summary())
    if result.file_errors:
        return 2
    rejecting = any(p.rejects_row for p in result.problems)
    return 1 if rejecting or result.rejected else 0


def _export(args: argparse.Namespace) -> int:
    from .data import Dataset
    from .export import ExportError, write_pack
    from .filters import Filters

    result = load_files(args.data, fmt=args.format, duplicates=args.duplicates)
    for message in result.file_errors:
        print(f"error: {message}", file=sys.stderr)
    if result.file_errors and not result.accepted:
        return 2
    ds = Dataset.from_result(result)
    data_values = {name: ds.values(name) for name in ("group", "target_type", "attack_type")}
    filters, notices = Filters.from_query(args.query, ds.reference, data_values)
    for notice in notices:
        print(f"warning: {notice}", file=sys.stderr)
    try:
        pack = write_pack(ds, filters, args.out, args.base_url.rstrip("/"))
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in pack.files:
        print(path)
    if pack.incidents == 0:
        print("error: no incident matches this view; the pack was written and says it is "
              "empty", file=sys.stderr)
        return 1
    print(f"{pack.incidents} incidents; {len(pack.files)} files in {args.out}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    from .importers import write_table

    result = load_files([args.path], fmt=args.format)
    for message in result.file_errors:
        print(f"error: {message}", file=sys.stderr)
    if result.file_errors:
        return 2
    if not result.reports:
        print(f"error: {args.path}: not an ACLED or GTD export (its columns match neither); "
              "give --format acled or --format gtd", file=sys.stderr)
        return 2
    for problem in result.problems:
        if problem.line is not None:  # file-level notes repeat the report below
            print(problem)
    print("\n".join(result.reports[0].lines()))
    if not result.accepted:
        print("error: no row could be converted; nothing written", file=sys.stderr)
        return 2
    try:
        write_table(result.incidents, args.out)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {result.accepted} rows to {args.out}")
    return 1 if result.rejected else 0


def _serve(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    os.environ["DASHBOARD_DATA"] = os.pathsep.join(args.data)
    os.environ["DASHBOARD_FORMAT"] = args.format
    os.environ["DASHBOARD_DUPLICATES"] = args.duplicates
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
        _load_options(p)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8050)
        p.add_argument("--debug", action="store_true", help="Dash debug mode (never in production)")
    check = sub.add_parser("validate", help="check incident files and report every problem")
    check.add_argument("paths", nargs="+", metavar="PATH")
    _load_options(check)
    pack = sub.add_parser("export", help="write the briefing pack of one view")
    pack.add_argument("--out", required=True, metavar="DIR", help="output folder")
    pack.add_argument("--query", default="", metavar="QUERY",
                      help="the view, as in the page's URL, e.g. 'group=IS-K&district=Mastung'")
    pack.add_argument("--data", nargs="+", default=[str(p) for p in DEFAULT_DATA],
                      metavar="PATH")
    pack.add_argument("--base-url", default="http://127.0.0.1:8050",
                      help="where the dashboard is served, for the view link in the footers")
    _load_options(pack)
    convert = sub.add_parser("import", help="convert an ACLED or GTD export to the canonical "
                                            "schema and report every mapping")
    convert.add_argument("path", metavar="PATH", help="the export (CSV, .xlsx, .parquet)")
    convert.add_argument("--format", choices=("auto", "acled", "gtd"), default="auto")
    convert.add_argument("--out", required=True, metavar="FILE",
                         help="the converted file: .csv, .xlsx or .parquet")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return _validate(args)
    if args.command == "export":
        return _export(args)
    if args.command == "import":
        return _import(args)
    return _serve(args)


if __name__ == "__main__":
    sys.exit(main())
