"""The `wrapped-lake` command line: the same functions the DAGs call."""

from __future__ import annotations

import argparse
import json
import sys

from wrapped_lake.platform import db
from wrapped_lake.platform.config import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wrapped-lake", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="ingest files, folders or ZIPs (default: the whole inbox)")
    ingest.add_argument("paths", nargs="*", help="files or folders; default: LAKE_ROOT/inbox")
    ingest.add_argument("--listener", help="listener the files belong to (default: the inbox sub-folder)")
    ingest.set_defaults(run=_ingest)

    simulate = commands.add_parser("simulate", help="write a simulated listening feed (AVRO) into the inbox")
    simulate.add_argument("--users", type=int, required=True, help="simulated listeners (1 = single-user mode)")
    simulate.add_argument("--days", type=int, required=True, help="days of listening")
    simulate.add_argument("--start", default="2026-01-01", help="first day, YYYY-MM-DD (UTC)")
    simulate.add_argument("--seed", type=int, default=42, help="same arguments and seed give the same bytes")
    simulate.add_argument("--out", help="output folder (default: LAKE_ROOT/inbox)")
    simulate.add_argument("--catalog", help="a Spotify Tracks Dataset CSV instead of the bundled synthetic catalog")
    simulate.add_argument("--personality", help="give every user this personality code, e.g. ENVU")
    simulate.add_argument("--shards", type=int, default=2, help="parallel shards (processes), default 2")
    simulate.set_defaults(run=_simulate)

    database = commands.add_parser("db", help="the lake's Postgres")
    database.add_argument(
        "action",
        choices=["migrate", "url", "stop", "check"],
        help="migrate: apply sql/ migrations; url: print the connection URL; stop: stop the embedded server; "
        "check: compare curated Parquet row counts with Postgres, per listener and dataset",
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
    import time

    from wrapped_lake.ingest import ingest
    from wrapped_lake.ingest.report import summary_line
    from wrapped_lake.platform.errors import DatabaseUnavailable

    started = time.monotonic()
    reports = []

    def emit(report):
        reports.append(report)
        sys.stdout.buffer.write(report.to_json() + b"\n")
        sys.stdout.flush()

    # Quarantined files are an outcome, not a failure: their JSON lines say why.
    with _IngestProgress() as progress:
        try:
            ingest(
                load_settings(),
                args.paths or None,
                args.listener,
                on_report=emit,
                on_start=progress.start,
                on_file_done=progress.advance,
            )
        except DatabaseUnavailable as exc:
            progress.stop()
            print(f"wrapped-lake: {exc.advice()}", file=sys.stderr)
            return 1
    print(f"ingest: {summary_line(reports, time.monotonic() - started)}", file=sys.stderr)
    return 0


class _IngestProgress:
    """A progress bar by bytes on stderr while files load (rich), only on a terminal."""

    def __init__(self) -> None:
        self.bar = None
        self.task = None

    def __enter__(self):
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("ingest"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.description}"),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
        return self

    def start(self, items) -> None:
        if self.bar is not None:
            self.task = self.bar.add_task("", total=sum(_size(item.path) for item in items))

    def advance(self, item) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, advance=_size(item.path), description=item.name)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __exit__(self, *exc) -> None:
        self.stop()


def _size(path: str) -> int:
    from pathlib import Path

    try:
        return Path(path).lstat().st_size
    except FileNotFoundError:
        return 0


def _simulate(args) -> int:
    from concurrent.futures import ProcessPoolExecutor
    from pathlib import Path

    from wrapped_lake.simulate.plan import plan_shards, run_shard

    if args.users < 1 or args.days < 1 or args.shards < 1:
        raise ValueError("--users, --days and --shards must be at least 1")
    shards = plan_shards(
        {
            "users": args.users,
            "days": args.days,
            "start_date": args.start,
            "seed": args.seed,
            "personality": args.personality,
            "personality_mix": None,
            "catalog_csv": args.catalog,
            "shards": args.shards,
        }
    )
    out = Path(args.out) if args.out else load_settings().inbox
    _progress(f"simulating {args.users} users over {args.days} days in {len(shards)} shard(s) into {out}")
    # The same shards the simulate_feed DAG maps over, here one process each to use every core.
    with ProcessPoolExecutor(max_workers=len(shards)) as pool:
        results = list(pool.map(run_shard, shards, [out] * len(shards)))
    totals = {
        "files": sum(r["files"] for r in results),
        "events": sum(r["events"] for r in results),
        "out": str(out / "simulated"),
    }
    print(json.dumps(totals))
    return 0


def _db(args) -> int:
    settings = load_settings()
    if args.action == "migrate":
        with db.connect(settings, migrate=False) as conn:
            applied = db.apply_migrations(conn)
        print("applied: " + ", ".join(applied) if applied else "up to date")
    elif args.action == "url":
        print(db.database_url(settings))
    elif args.action == "check":
        return _check(settings)
    else:
        print("stopped" if db.stop_embedded(settings) else "no embedded server running")
    return 0


def _check(settings) -> int:
    from wrapped_lake.zones import parquet

    with db.connect(settings) as conn:
        mismatches = parquet.check(conn, settings.curated)
        waiting = len(conn.execute(db.query("ingest/dirty_partitions")).fetchall())
    for dataset, listener, in_postgres, in_parquet in mismatches:
        print(f"{dataset} listener={listener!r}: {in_postgres} rows in Postgres, {in_parquet} in Parquet")
    if waiting:
        print(f"{waiting} partitions wait for a publish (the next ingest or publish_curated run writes them)")
    print("curated Parquet matches Postgres" if not mismatches else f"{len(mismatches)} mismatches")
    return 1 if mismatches else 0


def _demo(args) -> int:
    from wrapped_lake.demo import run_demo

    run_demo(load_settings(), out=sys.stdout, progress=_progress)
    return 0


if __name__ == "__main__":
    sys.exit(main())
