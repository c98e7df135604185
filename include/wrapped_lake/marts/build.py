"""Bring the Wrapped marts up to date: only the listeners and hours that new files touched.

What changed is read from the file registry: loaded files not yet in marts.built_files. An export
file rebuilds its listener whole (an extended-history file may replace account plays, a library
file may give account plays a URI, anywhere in time); a feed file only adds plays, so its users
are rebuilt for the UTC hours it covers (read in one window of end times). A listener whose zone
changed is rebuilt whole. Every fact row carries the number of the build that wrote it: the data
checks find the last build's rows by it.

A full build splits the listeners into one range per core and fills a new partition of the fact
and of the monthly totals for each range in sessions of its own, side by side,
all reading one snapshot; one transaction then swaps the new partitions in for the old ones.

Every build reads one snapshot and records exactly the files whose plays it read; its data checks
leave listeners that files loaded since may have changed to the next build. Marts that crash
recovery emptied (they are UNLOGGED) are noticed by the next build, which then rebuilds everything.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
from psycopg import sql

from wrapped_lake.platform import models
from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.db import connect, query

# One build at a time: two would each take the same new files.
BUILD_LOCK_ID = 0x6D617274  # "mart"
WHOLE = (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC))
# What a build makes: the fills of sql/models/ that produce these tables, with the fills they
# read, in the order of their declared inputs (platform/models.py). Around them, the plumbing of
# sql/marts/: what an incremental build clears first, what a full build's share creates first,
# and what both do once the fills are done.
INCREMENTAL_TARGETS = ["marts.listeners", "marts.listener_days", "marts.listener_day_artists"]
# The stream-farm detection's per-account tables (sql/models/marts/anomalies/), with the fills they read.
DETECTION_TARGETS = ["marts.account_heavy_tracks"]
# What the service's analytics read, over every listener: the weekly streams of the charts, the
# tracks' streams and listeners of the artist views, and every account's stream-farm score once
# the detection's tables are filled.
SERVICE_TARGETS = ["marts.weekly_track_streams", "marts.track_totals", "marts.anomaly_scores"]
INCREMENTAL_TARGETS += DETECTION_TARGETS + SERVICE_TARGETS
INCREMENTAL_BEFORE = ("marts/subtract_months", "marts/touched_months")
INCREMENTAL_AFTER = ("marts/summarize_new_facts", "marts/analyze_stale_parents")
# One share of a full build, into its own new tables: indexes once they are filled. The listeners
# are made after the swap, from every share.
PART_TARGETS = ["marts.listener_months", "marts.listener_days", "marts.listener_day_artists", *DETECTION_TARGETS]
PART_BEFORE = (
    "marts/create_parts", "marts/create_insight_parts", "marts/create_detection_parts", "marts/touched_months",
)  # fmt: skip
PART_AFTER = ("marts/full_indexes", "marts/analyze_parts", "marts/insight_indexes", "marts/detection_indexes")
# new_feed_plays (empty in a full build) is made again in this session for the weekly streams' fill.
SWAP_TARGETS = ["marts.listeners", "new_feed_plays", *SERVICE_TARGETS]
PARTITIONED = {
    "facts": "hourly_plays", "months": "listener_months",
    "days": "listener_days", "day_artists": "listener_day_artists",
    "account_days": "account_days", "account_tracks": "account_tracks", "heavy_tracks": "account_heavy_tracks",
}  # fmt: skip
# Shares of a full build: one per core, each a session with its own sort memory (build_settings).
MAX_PARTS = 4
CRASH_REBUILD = "rebuilding the marts after a database crash"

log = logging.getLogger(__name__)


class CheckFailed(RuntimeError):
    """A data check after the build found the marts inconsistent."""


@dataclass
class BuildResult:
    """What one build did: the listeners it changed and how long each step took."""

    full: bool
    files: int
    listeners: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"full": self.full, "files": self.files, "listeners": len(self.listeners), "seconds": self.seconds}


@dataclass(frozen=True)
class Share:
    """One share of a full build: a listener range [lower, upper) (None: unbounded) and its listeners."""

    number: int
    lower: str | None
    upper: str | None
    listeners: list[str]

    def tables(self) -> dict[str, sql.Identifier]:
        """The new tables this share fills, by their placeholder in the SQL files."""
        return {key: sql.Identifier("marts", f"{name}_next{self.number}") for key, name in PARTITIONED.items()}

    def in_range(self) -> sql.Composable:
        bounds = [sql.SQL("listener >= {}").format(self.lower)] if self.lower is not None else []
        bounds += [sql.SQL("listener < {}").format(self.upper)] if self.upper is not None else []
        return sql.SQL(" AND ").join(bounds) if bounds else sql.SQL("true")


def build(
    conn: psycopg.Connection,
    settings: Settings,
    *,
    full: bool = False,
    check: bool = True,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Rebuild what changed (everything with full=True, or when a crash emptied the marts) and commit
    it at once, then run the checks. `progress` (default: the log) hears of a rebuild after a crash."""
    conn.execute(query("marts/watch_client"))
    with build_lock(conn):
        if not full and marts_lost(conn):
            (progress or log.warning)(CRASH_REBUILD)
            full = True
        result = _full_build(conn, settings) if full else _incremental_build(conn, settings)
    if check:
        result.seconds.update(run_checks(settings))
    log.info("marts build: %s", result.as_dict())
    return result


def marts_lost(conn: psycopg.Connection) -> bool:
    """True when crash recovery emptied the (UNLOGGED) marts since the last build committed."""
    return conn.execute(query("marts/lost")).fetchone()[0]


@contextmanager
def build_lock(conn: psycopg.Connection) -> Iterator[None]:
    """Hold the build lock: one build at a time (a session may take it again inside). A build that
    has to wait says in the log which session it waits for and what that one runs."""
    if not conn.execute("SELECT pg_try_advisory_lock(%s)", (BUILD_LOCK_ID,)).fetchone()[0]:
        for pid, state, seconds, statement in conn.execute(query("marts/lock_holders"), {"lock": BUILD_LOCK_ID}):
            log.warning(
                "waiting for the build lock, held by backend %s (%s for %s s): %s", pid, state, seconds, statement
            )
        conn.execute("SELECT pg_advisory_lock(%s)", (BUILD_LOCK_ID,))
    try:
        yield
    finally:
        if conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            conn.execute("SELECT pg_advisory_unlock(%s)", (BUILD_LOCK_ID,))


def _incremental_build(conn: psycopg.Connection, settings: Settings) -> BuildResult:
    """Rebuild the targets new files and zones touched, in place, in one transaction."""
    conn.execute(query("curated/summarize_new_plays"))  # in case the loader could not
    with conn.transaction():
        conn.execute(query("marts/repeatable_read"))
        conn.execute(query("marts/build_settings"), {"full": False})
        build_id = conn.execute(query("marts/next_build_id")).fetchone()[0]
        pending = conn.execute(query("marts/pending_files")).fetchall()
        _fill_targets(
            conn, settings,
            whole=sorted({listener for _, listener, kind in pending if kind != "feed"}),
            feed_ids=[file_id for file_id, _, kind in pending if kind == "feed"],
        )  # fmt: skip
        listeners = [row[0] for row in conn.execute(query("marts/target_listeners"))]
        result = BuildResult(full=False, files=len(pending), listeners=listeners)
        tables = {key: sql.Identifier("marts", name) for key, name in PARTITIONED.items()}
        tables["build"] = sql.Literal(build_id)
        result.seconds.update(_run_steps(conn, INCREMENTAL_BEFORE, INCREMENTAL_TARGETS, INCREMENTAL_AFTER, tables))
        _record_build(conn, [file_id for file_id, _, _ in pending], build_id)
    return result


def _full_build(conn: psycopg.Connection, settings: Settings) -> BuildResult:
    """Rebuild every listener into new partitions, share by share, and swap them in at once."""
    try:
        _drop_staged(conn)
        with conn.transaction():
            conn.execute(query("marts/build_settings"), {"full": True})
            build_id = conn.execute(query("marts/next_build_id")).fetchone()[0]
            snapshot, file_ids = conn.execute(query("marts/snapshot_files")).fetchone()
            listeners = [row[0] for row in conn.execute(query("marts/every_listener"))]
            result = BuildResult(full=True, files=len(file_ids), listeners=listeners)
            started = time.perf_counter()
            parts = _shares(listeners, part_count())
            with ThreadPoolExecutor(len(parts)) as pool:
                part_seconds = list(pool.map(lambda part: _build_share(settings, snapshot, part, build_id), parts))
            result.seconds["parts"] = round(time.perf_counter() - started, 3)
            for name in part_seconds[0]:  # the slowest share's time per step
                result.seconds[name] = max(seconds[name] for seconds in part_seconds)
            started = time.perf_counter()
            _swap_partitions(conn, parts)
            conn.execute(query("marts/truncate"))
            _fill_targets(conn, settings, whole=listeners)
            conn.execute(query("marts/full_touched_months"))
            for model in models.build_order(SWAP_TARGETS, built=PART_TARGETS):
                result.seconds[model.name.rsplit(".", 1)[-1]] = _run(conn, model.path, {}, model.passes)
            _record_build(conn, file_ids, build_id)
            result.seconds["swap"] = round(time.perf_counter() - started, 3)
        result.seconds["analyze"] = _run(conn, "marts/analyze")
    finally:
        if conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            _drop_staged(conn)
    return result


def part_count() -> int:
    """Shares of a full build: one per core, at most MAX_PARTS."""
    return min(MAX_PARTS, os.cpu_count() or 1)


def _shares(listeners: list[str], count: int) -> list[Share]:
    """Contiguous shares of the (database-ordered) listeners, of equal size; the first and last
    ranges are open, so together they cover every listener name, also of listeners to come."""
    count = max(1, min(count, len(listeners)))
    starts = [len(listeners) * i // count for i in range(count)] + [len(listeners)]
    return [
        Share(
            number=i,
            lower=listeners[starts[i]] if i > 0 else None,
            upper=listeners[starts[i + 1]] if i < count - 1 else None,
            listeners=listeners[starts[i] : starts[i + 1]],
        )
        for i in range(count)
    ]


def _build_share(settings: Settings, snapshot: str, part: Share, build_id: int) -> dict[str, float]:
    """Fill one share's new tables in a session of its own, reading the build's snapshot."""
    with connect(settings, migrate=False) as conn:
        conn.execute(query("marts/watch_client"))
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction():
            conn.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(snapshot))
            conn.execute(query("marts/build_settings"), {"full": True})
            _fill_targets(conn, settings, whole=part.listeners, zone_changes=False)
            tables = {**part.tables(), "in_range": part.in_range(), "build": sql.Literal(build_id)}
            seconds = _run_steps(conn, PART_BEFORE, PART_TARGETS, PART_AFTER, tables)
    return seconds


def _swap_partitions(conn: psycopg.Connection, parts: list[Share]) -> None:
    """Drop the old partitions and attach the new tables in their place."""
    for key, name in PARTITIONED.items():
        parent = sql.Identifier("marts", name)
        for (old,) in conn.execute(query("marts/partitions"), {"parent": f"marts.{name}"}).fetchall():
            conn.execute(sql.SQL(query("marts/drop_table")).format(table=sql.Identifier("marts", old)))
        for part in parts:
            conn.execute(
                sql.SQL(query("marts/swap_partition")).format(
                    staged=part.tables()[key],
                    name=sql.Identifier(f"{name}_p{part.number}"),
                    parent=parent,
                    partition=sql.Identifier("marts", f"{name}_p{part.number}"),
                    lower=sql.SQL("MINVALUE") if part.lower is None else sql.Literal(part.lower),
                    upper=sql.SQL("MAXVALUE") if part.upper is None else sql.Literal(part.upper),
                )
            )


def _drop_staged(conn: psycopg.Connection) -> None:
    """Drop the tables a failed or stopped full build left unattached."""
    for (name,) in conn.execute(query("marts/staged_tables"), {"tables": list(PARTITIONED.values())}).fetchall():
        conn.execute(sql.SQL(query("marts/drop_table")).format(table=sql.Identifier("marts", name)))


def _fill_targets(
    conn: psycopg.Connection,
    settings: Settings,
    *,
    whole: list[str],
    feed_ids: tuple[int, ...] | list[int] = (),
    zone_changes: bool = True,
) -> None:
    """The build_targets temporary table: the hours new feed files brought, and the listeners
    rebuilt whole (the ones given and, with zone_changes, those whose zone changed)."""
    conn.execute(query("marts/create_targets"))
    if feed_ids:
        conn.execute(query("marts/feed_targets"), {"file_ids": list(feed_ids), "default_timezone": settings.timezone})
    conn.execute(
        query("marts/whole_targets"),
        {
            "listeners": whole, "zone_changes": zone_changes, "default_timezone": settings.timezone,
            "from_hour": WHOLE[0], "to_hour": WHOLE[1],
        },
    )  # fmt: skip
    conn.execute(query("marts/analyze_targets"))


def _record_build(conn: psycopg.Connection, file_ids: list[int], build_id: int) -> None:
    """Remember the files taken in and what was rebuilt, with fresh statistics for the checks."""
    conn.execute(query("marts/clear_last_build"))
    conn.execute(query("marts/record_build"), {"file_ids": file_ids, "build_id": build_id})
    conn.execute(query("marts/analyze_last_build"))


def _run_steps(
    conn: psycopg.Connection,
    before: tuple[str, ...],
    targets: list[str],
    after: tuple[str, ...],
    tables: dict[str, sql.Composable],
) -> dict[str, float]:
    """Plumbing, then the fills that make the targets (in the order of their inputs), then plumbing;
    returns the seconds of each, by its name."""
    seconds = {step.removeprefix("marts/"): _run(conn, step, tables) for step in before}
    for model in models.build_order(targets):
        seconds[model.name.rsplit(".", 1)[-1]] = _run(conn, model.path, tables, model.passes)
    seconds.update({step.removeprefix("marts/"): _run(conn, step, tables) for step in after})
    return seconds


def _run(
    conn: psycopg.Connection,
    name: str,
    tables: dict[str, sql.Composable] | None = None,
    passes: tuple[bool, ...] | None = None,
) -> float:
    """Run one sql/ file, its {placeholders} filled from tables, once or once per pass ({whole}:
    the listeners rebuilt whole, then the hour ranges); returns the seconds it took."""
    started = time.perf_counter()
    text = query(name)
    for whole in passes or (None,):
        conn.execute(sql.SQL(text).format(**(tables or {}), whole=sql.Literal(whole)))
    return round(time.perf_counter() - started, 3)


def run_checks(settings: Settings) -> dict[str, float]:
    """Run the data checks beside the models (sql/models/**/*.check.sql) side by side, each in a
    session of its own, as the DAG's check tasks do with the same files; raise on a failure.
    Returns the seconds each took."""
    checks = models.checks()
    with ThreadPoolExecutor(len(checks)) as pool:
        outcomes = list(pool.map(lambda check: _check(settings, check), checks))
    failed = [f"{name}: {column}" for name, _, columns in outcomes for column in columns]
    if failed:
        raise CheckFailed("marts data check failed: " + ", ".join(failed))
    return {name: seconds for name, seconds, _ in outcomes}


def _check(settings: Settings, check: models.Check) -> tuple[str, float, list[str]]:
    """One check: its name, the seconds it took and the columns that came out false."""
    started = time.perf_counter()
    with connect(settings, migrate=False) as conn:
        conn.execute(query("marts/watch_client"))
        cursor = conn.execute(query(check.path))
        row = cursor.fetchone()
    failed = [column.name for column, value in zip(cursor.description, row, strict=True) if not value]
    return check.name, round(time.perf_counter() - started, 3), failed
