"""Command line: ``python -m dashboard [serve|validate|export|import] ...``."""
from __future__ import annotations

import argparse
import logging
import sys

from .data.dataset import Dataset
from .data.duplicates import DUPLICATES
from .data.events import load_events_reported
from .data.loading import load_files
from .importers.convert import ACLED_EVENTS, FORMATS
from .paths import DEFAULT_DATA
from .settings import Settings


def _load_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="auto",
                   help="format of the files (default: told apart per file by its columns)")
    p.add_argument("--duplicates", choices=DUPLICATES, default="keep",
                   help="likely duplicates across files: report and keep both (default), or "
                        "drop the later one")
    p.add_argument("--events", default=None, metavar="PATH",
                   help="the key events drawn on the timelines, a CSV with date, title, detail, "
                        "kind, source_urls (default: DASHBOARD_EVENTS, or data/events.csv); "
                        "validate checks it when named")
    _acled_option(p)


def _acled_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--acled-events", choices=ACLED_EVENTS, default=None,
                   help="ACLED rows kept: militant attacks only (default), or every event, "
                        "protests, riots, strategic developments and state forces' events "
                        "labelled 'Not a militant attack: <type>'")


def _settings(args: argparse.Namespace, data) -> Settings:
    """The environment's settings with the command line's options over them."""
    return Settings.from_env(data=tuple(data), fmt=args.format, duplicates=args.duplicates,
                             acled_events=args.acled_events, events=args.events,
                             **{k: getattr(args, k, None) for k in ("host", "port", "debug")})


def _load(settings: Settings):
    return load_files(settings.data, fmt=settings.fmt, duplicates=settings.duplicates,
                      max_bytes=settings.max_file_bytes, options=settings.load_options)


def _validate(args: argparse.Namespace) -> int:
    result = _load(_settings(args, args.paths))
    for message in result.file_errors:
        print(f"error: {message}")
    for problem in result.problems:
        print(problem)
    for line in result.left_out_lines():
        print(line)
    print(result.summary())
    events = _check_events(args.events) if args.events else 0
    if result.file_errors or events == 2:
        return 2
    rejecting = any(p.rejects_row for p in result.problems)
    return 1 if rejecting or result.rejected or events else 0


def _check_events(path: str) -> int:
    """Every problem of a key events file and its summary: 0 all accepted, 1 rows rejected,
    2 the file unreadable."""
    events, problems, error = load_events_reported(path)
    if error:
        print(f"error: {error}")
        return 2
    for problem in problems:
        print(problem)
    rejected = len({p.line for p in problems})
    print(f"{path}: {len(events) + rejected} events: {len(events)} accepted, "
          f"{rejected} rejected")
    return 1 if rejected else 0


def _export(args: argparse.Namespace) -> int:
    from .clicks import state_from_query
    from .export import ExportError, write_pack

    settings = _settings(args, args.data)
    result = _load(settings)
    for message in result.file_errors:
        print(f"error: {message}", file=sys.stderr)
    if result.file_errors and not result.accepted:
        return 2
    events, problems, error = load_events_reported(settings.events)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    if error:
        print(f"error: {error} (no key events drawn)", file=sys.stderr)
    ds = Dataset.from_result(result, events=events)
    state, notices = state_from_query(args.query, ds)
    for notice in notices:
        print(f"warning: {notice}", file=sys.stderr)
    try:
        pack = write_pack(ds, state, args.out, args.base_url.rstrip("/"))
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
    from .importers.convert import write_row_report, write_table

    settings = Settings.from_env(data=(args.path,), fmt=args.format,
                                 acled_events=args.acled_events)
    result = load_files(settings.data, fmt=settings.fmt, max_bytes=settings.max_file_bytes,
                        options=settings.load_options)
    for message in result.file_errors:
        print(f"error: {message}", file=sys.stderr)
    if result.file_errors:
        return 2
    if not result.reports:
        print(f"error: {args.path}: not an ACLED or GTD export (its columns match neither); "
              "give --format acled or --format gtd", file=sys.stderr)
        return 2
    # the summary first; rejected rows (in scope) are listed in it, the rest in --report FILE
    print("\n".join(result.reports[0].lines()))
    if args.report:
        try:
            write_row_report(result, args.report)
        except OSError as exc:
            print(f"error: {args.report}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"wrote the row-by-row report to {args.report}")
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


def _read_password() -> str | None:
    """The new password: one line of standard input when it is not a terminal (scripts,
    tests), else asked twice without echo. None if the two do not match."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    import getpass
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        return None
    return first


def _users(args: argparse.Namespace) -> int:
    from . import auth

    path = args.file or Settings.from_env().users_file
    if not path:
        print("error: name the users file with --file PATH (or DASHBOARD_USERS_FILE)",
              file=sys.stderr)
        return 2
    try:
        if args.action == "add":
            password = _read_password()
            if password is None:
                print("error: the passwords differ; nothing changed", file=sys.stderr)
                return 2
            new = auth.add_user(path, args.name, password)
            print(f"{'added' if new else 'changed the password of'} {args.name} in {path}")
        elif args.action == "remove":
            if not auth.remove_user(path, args.name):
                print(f"error: no user {args.name!r} in {path}", file=sys.stderr)
                return 1
            print(f"removed {args.name} from {path}")
        else:
            for name in auth.list_users(path):
                print(name)
    except (auth.UsersFileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _serve(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    from .app import create_app, freeze_imports, load_dataset, warm_up

    freeze_imports()
    settings = _settings(args, args.data)
    ds = load_dataset(settings)  # logs every problem and the summary
    if not len(ds.incidents):
        print("error: no incident could be loaded; nothing to serve", file=sys.stderr)
        return 2
    app = create_app(settings, ds)
    warm_up(app)  # before the first visitor, and with its memory given back
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
    return 0


def main(argv: list[str] | None = None) -> int:
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
    convert.add_argument("--report", metavar="FILE", default=None,
                         help="also write every row's outcome (converted, left out, rejected, "
                              "notes) to this CSV file")
    _acled_option(convert)
    users = sub.add_parser("users", help="the users file of sign-in (DASHBOARD_USERS_FILE)")
    actions = users.add_subparsers(dest="action", required=True)
    for action, words in (("add", "add a user, or change a password (read from standard "
                                  "input, or asked twice)"),
                          ("remove", "remove a user"), ("list", "list the users")):
        a = actions.add_parser(action, help=words)
        if action != "list":
            a.add_argument("name", metavar="NAME")
        a.add_argument("--file", metavar="PATH", help="the users file (default: "
                                                      "DASHBOARD_USERS_FILE)")
    args = parser.parse_args(argv)
    if args.command == "users":
        return _users(args)
    if args.command == "validate":
        return _validate(args)
    if args.command == "export":
        return _export(args)
    if args.command == "import":
        return _import(args)
    return _serve(args)


if __name__ == "__main__":
    sys.exit(main())
