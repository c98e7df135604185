"""Wrapped marts speed: `make bench` (or `python bench/bench_wrapped.py [--users N --plays N]`).

Figures, all measured in this run on this machine:
- full build over 10,000,000 simulated plays of 20,000 users (target < 60 s): plays/s, and the
  peak private memory of all Postgres processes together (the build runs in several sessions);
- incremental build after one new day of plays (target < 5% of the full build), for DAYS days in
  a row, after the vacuum autovacuum would give the full build's new partitions first (timed
  apart): the first days after a full build are faster than the ones that follow (the builds
  settle from about the third day on, measured over seven). Days are a day apart: before
  each, what autovacuum does after a daily build is done (timed apart) instead of racing the build,
  and the new day's plays are not analyzed (the loader does not; autovacuum does after millions);
- `wrapped --format json` for one listener-year: query time (target < 200 ms), median of 20.
The plays are generated in SQL straight into curated storage (one registered feed file per day,
as the ingest would leave them, its index ranges summarized): this times the build, not the
simulator or the loader.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import psutil
import psycopg

from wrapped_lake.marts.build import BuildResult, build
from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.db import connect, database_url, query, stop_embedded
from wrapped_lake.reports.wrapped import to_json, wrapped

START = date(2025, 1, 1)
DAYS = 5  # incremental builds, one new day each
TRACKS = 60_000

# One day of feed plays for every user: random end times, ms from 5 s to 5 min, tracks skewed to
# the popular ones (power law), ten tracks per artist; in the order the loader writes a feed file's
# plays (by listener and time), with the spans per user the loader records.
DAY_SQL = """
WITH f AS (
    INSERT INTO ingest.files (listener, sha256, name, size_bytes, kind, status, raw_path, started_at)
    VALUES ('simulated', md5(%(day)s::text), 'day ' || %(day)s::text, 0, 'feed', 'loaded', '', now())
    RETURNING file_id
),
p AS (
    SELECT 'u' || lpad(u::text, 6, '0') AS listener,
           %(day)s::timestamptz + random() * interval '1 day' AS ended_at,
           (5000 + random() * 295000)::bigint AS ms,
           floor(%(tracks)s * power(random(), 3))::int AS track
    FROM generate_series(1, %(users)s) AS u, generate_series(1, %(per_day)s) AS n
),
plays AS (
    INSERT INTO curated.play_rows (play_key, listener, source, media, ended_at, started_at, ms_played, track_name,
                                   artist_name, album_name, track_uri, skipped, reason_end, incognito_mode, file_id)
    SELECT gen_random_uuid(), listener, 'feed', 'music', ended_at, ended_at - ms * interval '1 millisecond', ms,
           'Track ' || track, 'Artist ' || (track / 10), 'Album ' || (track / 10),
           'spotify:track:' || lpad(track::text, 22, '0'),
           ms < 30000, CASE WHEN ms < 30000 THEN 'fwdbtn' ELSE 'trackdone' END, false, f.file_id
    FROM p, f
    ORDER BY listener, ended_at
    RETURNING file_id, listener, ended_at
)
INSERT INTO ingest.file_spans (file_id, listener, first_ended_at, last_ended_at)
SELECT file_id, listener, min(ended_at), max(ended_at) FROM plays GROUP BY 1, 2
"""
# What autovacuum picks up after one daily build (over its thresholds: 50 rows + 20% updated or
# 1,000 + 20% inserted): every row of the listeners, the monthly totals of one month and the
# last-build tables changes daily; the fact, the plays and the spans grow 2% a day and wait days.
DAILY_AUTOVACUUM = ("marts.listeners", "marts.listener_months", "marts.last_build", "marts.last_build_months")
USERS_SQL = """
INSERT INTO curated.feed_users (listener, country, continent, subscription_type, personality, file_id)
SELECT 'u' || lpad(u::text, 6, '0'), 'SE', (ARRAY['EU','NA','SA','AS','AF','OC'])[1 + u %% 6],
       (ARRAY['FREE','PREMIUM','FAMILY','STUDENT'])[1 + u %% 4], 'ENVU', 0
FROM generate_series(1, %(users)s) AS u
"""


class ServerMemory(threading.Thread):
    """Samples the private (anonymous) memory of the embedded server's processes, summed, every
    0.1 s: sort and hash memory of every session (shared buffers are counted once, apart)."""

    def __init__(self, pgdata: Path) -> None:
        super().__init__(daemon=True)
        self.pgdata, self.peak_mb, self.done = pgdata, float("nan"), threading.Event()

    def run(self) -> None:
        try:
            postmaster = psutil.Process(int((self.pgdata / "postmaster.pid").read_text().split()[0]))
        except (OSError, ValueError, psutil.Error):
            return  # LAKE_DATABASE_URL: a server this bench cannot see
        self.peak_mb = 0.0
        while not self.done.wait(0.1):
            total = sum(_rss_anon(process.pid) for process in [postmaster, *postmaster.children()])
            self.peak_mb = max(self.peak_mb, total / 2**20)


def _rss_anon(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0  # a session that just ended
    return next((int(line.split()[1]) * 1024 for line in lines if line.startswith("RssAnon:")), 0)


def add_day(conn: psycopg.Connection, day: date, users: int, per_day: int) -> None:
    conn.execute(DAY_SQL, {"day": day, "users": users, "per_day": per_day, "tracks": TRACKS})
    conn.execute(query("curated/summarize_new_plays"))  # as the loader does after each file


def size_arguments() -> tuple[argparse.Namespace, int]:
    """The benches' --users, --plays and --days (10 M plays of 20,000 users over 50 days); plays per user-day."""
    parser = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--plays", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=50)
    args = parser.parse_args()
    return args, max(1, args.plays // (args.users * args.days))


@contextmanager
def bench_lake(name: str) -> Iterator[tuple[Settings, Settings]]:
    """A lake in a fresh database `name` on LAKE_DATABASE_URL's server, else on a new embedded one
    (its settings second); the database, the server and their files are gone afterwards."""
    base = Path(tempfile.mkdtemp(prefix=f"wrapped-lake-{name}-"))
    base.chmod(0o755)
    embedded = Settings(root=base / "server", database_url=None, timezone="UTC")
    server = os.environ.get("LAKE_DATABASE_URL") or database_url(embedded)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield (
            Settings(
                root=base / "lake", database_url=psycopg.conninfo.make_conninfo(server, dbname=name), timezone="UTC"
            ),
            embedded,
        )
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        stop_embedded(embedded)
        shutil.rmtree(base, ignore_errors=True)


def generate_plays(conn: psycopg.Connection, users: int, per_day: int, days: int, users_sql: str = USERS_SQL) -> int:
    """`days` days of plays of `users` users (made by users_sql) from START into curated storage,
    vacuumed and checkpointed as a loaded lake settles; returns the plays."""
    print(f"generating {users * per_day * days:,} plays ...", file=sys.stderr)
    conn.execute(users_sql, {"users": users})
    for d in range(days):
        add_day(conn, START + timedelta(days=d), users, per_day)
    conn.execute("VACUUM ANALYZE curated.play_rows, ingest.file_spans")
    conn.execute("CHECKPOINT")
    return conn.execute("SELECT count(*) FROM curated.play_rows").fetchone()[0]


def daily_builds(
    settings: Settings, args: argparse.Namespace, per_day: int, days: int = DAYS
) -> Iterator[tuple[int, float, BuildResult, float | None]]:
    """`days` new days after the generated ones, each built incrementally: (day, seconds, result, the
    seconds of the vacuum autovacuum would have done before it, None on the first day)."""
    for day in range(days):
        with connect(settings) as conn:
            vacuum_s = None
            if day:  # a day apart, autovacuum has long done what the last build left it
                started = time.perf_counter()
                conn.execute(f"VACUUM ANALYZE {', '.join(DAILY_AUTOVACUUM)}")
                vacuum_s = time.perf_counter() - started
            add_day(conn, START + timedelta(days=args.days + day), args.users, per_day)
            started = time.perf_counter()
            result = build(conn, settings)
            yield day, time.perf_counter() - started, result, vacuum_s


def main() -> None:
    args, per_day = size_arguments()
    results = []
    with bench_lake("bench_wrapped") as (settings, embedded):
        with connect(settings) as conn:
            plays = generate_plays(conn, args.users, per_day, args.days)

        with connect(settings) as conn:
            memory = ServerMemory(embedded.pgdata)
            memory.start()
            started = time.perf_counter()
            full = build(conn, settings, full=True)
            full_s = time.perf_counter() - started
            memory.done.set()
            memory.join()
            shared = conn.execute("SELECT current_setting('shared_buffers')").fetchone()[0]
            # What autovacuum does to the full build's new partitions before the next day's build
            # (run here at once, and timed apart, instead of racing the daily builds below).
            started = time.perf_counter()
            conn.execute("VACUUM ANALYZE marts.hourly_plays, marts.listener_months")
            vacuum_s = time.perf_counter() - started
        steps = ", ".join(f"{k} {v:.1f}" for k, v in full.seconds.items())
        results.append(
            (f"full build, {plays:,} plays of {args.users:,} users", f"{full_s:.1f} s",
             f"{plays / full_s:,.0f} plays/s",
             f"target < 60 s; Postgres peak {memory.peak_mb:,.0f} MB private + {shared} shared buffers; {steps}")
        )  # fmt: skip
        results.append(("vacuum of the new marts partitions", f"{vacuum_s:.1f} s", "", "autovacuum's, before day 1"))

        between = []
        for day, inc_s, incremental, vacuum_s in daily_builds(settings, args, per_day):
            if vacuum_s is not None:
                between.append(vacuum_s)
            steps = ", ".join(f"{k} {v:.2f}" for k, v in incremental.seconds.items())
            results.append(
                (f"incremental build, new day {day + 1} ({args.users * per_day:,} plays)", f"{inc_s:.2f} s",
                 f"{inc_s / full_s:.1%} of full", f"target < 5%; {steps}")
            )  # fmt: skip

        results.append(
            ("vacuum between daily builds", f"{statistics.mean(between):.2f} s", "", f"mean of {DAYS - 1}")
        )  # fmt: skip

        with connect(settings) as conn:
            listener = conn.execute("SELECT min(listener) FROM marts.listeners").fetchone()[0]
            times = []
            for _ in range(20):
                started = time.perf_counter()
                to_json(wrapped(conn, listener, START.year))
                times.append(time.perf_counter() - started)
        results.append(
            ("wrapped --format json, one listener-year", f"{statistics.median(times) * 1000:.0f} ms", "",
             f"target < 200 ms; median of 20, max {max(times) * 1000:.0f} ms")
        )  # fmt: skip
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results.append(("peak RSS of this process", f"{rss:,.0f} MB", "", "the build runs in Postgres"))
    for row in results:
        print(" | ".join(row))


if __name__ == "__main__":
    main()
