"""The `wrapped-lake` command line: the same functions the DAGs call."""

from __future__ import annotations

import argparse
import sys

from wrapped_lake import db
from wrapped_lake.config import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wrapped-lake", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="ingest files, folders or ZIPs (default: the whole inbox)")
    ingest.add_argument("paths", nargs="*", help="files or folders; default: LAKE_ROOT/inbox")
    ingest.add_argument("--listener", help="listener the files belong to (default: the inbox sub-folder)")
    ingest.set_defaults(run=_ingest)

    database = commands.add_parser("db", help="the lake's Postgres")
    database.add_argument(
        "action",
        choices=["migrate", "url", "stop"],
        help="migrate: apply sql/ migrations; url: print the connection URL; stop: stop the embedded server",
    )
    database.set_defaults(run=_db)

    demo = commands.add_parser("demo", help="the whole story on generated sample data")
    demo.set_defaults(run=_demo)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (FileNotFoundError, ValueError) as exc:
        print(f"wrapped-lake: {exc}", file=sys.stderr)
        return 2


def _progress(message: str) -> None:
    """Progress for people: stderr, and only on a terminal, so stdout stays machine-readable."""
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)


def _ingest(args) -> int:
    from wrapped_lake.ingest import ingest

    def emit(report):
        sys.stdout.buffer.write(report.to_json() + b"\n")
        sys.stdout.flush()
        _progress(f"{report.status:>11}  {report.file}")

    # Quarantined files are an outcome, not a failure: their JSON lines say why.
    ingest(load_settings(), args.paths or None, args.listener, on_report=emit)
    return 0


def _db(args) -> int:
    settings = load_settings()
    if args.action == "migrate":
        with db.connect(settings, migrate=False) as conn:
            applied = db.apply_migrations(conn)
        print("applied: " + ", ".join(applied) if applied else "up to date")
    elif args.action == "url":
        print(db.database_url(settings))
    else:
        print("stopped" if db.stop_embedded(settings) else "no embedded server running")
    return 0


def _demo(args) -> int:
    from wrapped_lake.demo import run_demo

    run_demo(load_settings(), out=sys.stdout, progress=_progress)
    return 0


if __name__ == "__main__":
    sys.exit(main())
