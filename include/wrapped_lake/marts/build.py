"""Bring the Wrapped marts up to date: only the listeners and hours that new files touched.

What changed is read from the file registry: loaded files not yet in marts.built_files. An export
file rebuilds its listener whole (an extended-history file may replace account plays, a library
file may give account plays a URI, anywhere in time); a feed file only adds plays, so its users
are rebuilt for the UTC hours it covers. A listener whose zone changed is rebuilt whole.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg

from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.db import query

# One build at a time: two would each take the same new files.
BUILD_LOCK_ID = 0x6D617274  # "mart"
WHOLE = (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC))
# Incremental steps; a full build inserts first streams without an index and indexes once at the end.
FACT_STEPS = ("marts/subtract_months", "marts/delete_facts", "marts/known_track_uris", "marts/insert_facts")
INCREMENTAL_FIRSTS = ("marts/delete_artist_firsts", "marts/upsert_artist_firsts")
FULL_FIRSTS = ("marts/insert_artist_firsts", "marts/full_indexes")
MONTH_STEPS = ("marts/touched_months", "marts/add_months", "marts/prune_months", "marts/upsert_listeners")
CHECKS = ("marts/checks/no_negative_minutes", "marts/checks/totals_match_curated", "marts/checks/top_lists")

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


def build(conn: psycopg.Connection, settings: Settings, *, full: bool = False, check: bool = True) -> BuildResult:
    """Rebuild what changed (or everything with full=True) in one transaction, then run the checks."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (BUILD_LOCK_ID,))
        conn.execute(query("marts/build_settings"), {"full": full})
        if full:
            conn.execute(query("marts/truncate"))
        pending = conn.execute(query("marts/pending_files")).fetchall()
        if full:
            targets = {row[0]: WHOLE for row in conn.execute(query("marts/every_listener"))}
        else:
            targets = _targets(conn, settings, pending)
        result = BuildResult(full=full, files=len(pending), listeners=sorted(targets))
        conn.execute(query("marts/create_targets"))
        names = sorted(targets)
        conn.execute(
            query("marts/fill_targets"),
            {
                "default_timezone": settings.timezone,
                "listeners": names,
                "whole": [targets[n] == WHOLE for n in names],
                "from_hours": [targets[n][0] for n in names],
                "to_hours": [targets[n][1] for n in names],
            },
        )
        conn.execute(query("marts/analyze_targets"))
        for step in (*FACT_STEPS, *(FULL_FIRSTS if full else INCREMENTAL_FIRSTS), *MONTH_STEPS):
            started = time.perf_counter()
            conn.execute(query(step))
            result.seconds[step.removeprefix("marts/")] = round(time.perf_counter() - started, 3)
        conn.execute(query("marts/clear_last_build"))
        conn.execute(query("marts/record_build"), {"file_ids": [row[0] for row in pending]})
        conn.execute(query("marts/analyze_last_build"))
    if full:
        conn.execute(query("marts/analyze"))
    if check:
        result.seconds.update(run_checks(conn))
    log.info("marts build: %s", result.as_dict())
    return result


def _targets(conn: psycopg.Connection, settings: Settings, pending: list[tuple]) -> dict[str, tuple]:
    """Per listener, the UTC hour range to rebuild (WHOLE for the whole listener)."""
    targets: dict[str, tuple] = {}
    feed_ids = [file_id for file_id, _, kind in pending if kind == "feed"]
    if feed_ids:
        params = {"first_id": min(feed_ids), "last_id": max(feed_ids), "file_ids": feed_ids}
        for listener, from_hour, to_hour in conn.execute(query("marts/feed_ranges"), params):
            targets[listener] = (from_hour, to_hour)
    for _, listener, kind in pending:
        if kind != "feed":
            targets[listener] = WHOLE
    for (listener,) in conn.execute(query("marts/zone_changes"), {"default_timezone": settings.timezone}):
        targets[listener] = WHOLE
    return targets


def run_checks(conn: psycopg.Connection) -> dict[str, float]:
    """Run the data checks of sql/marts/checks/ (the DAG runs the same files); raise on a failure.

    Returns the seconds each took."""
    failed, seconds = [], {}
    for name in CHECKS:
        started = time.perf_counter()
        cursor = conn.execute(query(name))
        row = cursor.fetchone()
        seconds[name.rsplit("/", 1)[-1]] = round(time.perf_counter() - started, 3)
        failed += [
            f"{name.rsplit('/', 1)[-1]}: {column.name}"
            for column, value in zip(cursor.description, row, strict=True)
            if not value
        ]
    if failed:
        raise CheckFailed("marts data check failed: " + ", ".join(failed))
    return seconds
