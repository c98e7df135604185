"""A build killed with kill -9: its statements do not run on in the server for the next build to
wait for; and a build that has to wait for another says for whom."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import psycopg
import pytest

from wrapped_lake.marts.build import BUILD_LOCK_ID, build

HOLDER = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = %s"


def a_play(track: str) -> list[dict]:
    return [{"ended_at": datetime(2024, 5, 1, tzinfo=UTC), "ms": 60000, "track_name": track, "artist_name": "X",
             "track_uri": f"spotify:track:{track}"}]  # fmt: skip


def wait_for(condition, timeout: float) -> float:
    """Seconds until condition() held; fails after timeout."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "timed out"
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.mark.slow
def test_a_killed_builds_statement_ends_with_it_and_the_next_build_proceeds(lake, conn, plays_file, database_url):
    plays_file("zed", a_play("a"))
    build(conn, lake)
    plays_file("ann", a_play("b"))
    with psycopg.connect(database_url) as blocker:
        # The build's first read of its bookkeeping waits here, in the server, holding the build lock.
        blocker.execute("LOCK TABLE marts.built_files IN ACCESS EXCLUSIVE MODE")
        child = subprocess.Popen(
            [sys.executable, "-m", "wrapped_lake.cli", "build"],
            env=os.environ | {"LAKE_ROOT": str(lake.root), "LAKE_DATABASE_URL": database_url},
        )
        wait_for(lambda: conn.execute(HOLDER, (BUILD_LOCK_ID,)).fetchone(), timeout=60)
        backend = conn.execute(HOLDER, (BUILD_LOCK_ID,)).fetchone()[0]
        child.kill()
        child.wait()
        gone = "SELECT NOT EXISTS (SELECT FROM pg_stat_activity WHERE pid = %s)"
        # Without the check its statement would wait for this lock as long as it is held.
        assert wait_for(lambda: conn.execute(gone, (backend,)).fetchone()[0], timeout=5) < 3
        assert conn.execute("SELECT pg_try_advisory_lock(%s)", (BUILD_LOCK_ID,)).fetchone()[0]
        conn.execute("SELECT pg_advisory_unlock(%s)", (BUILD_LOCK_ID,))
    assert build(conn, lake).listeners == ["ann"]


def test_a_build_waiting_for_the_lock_says_which_session_holds_it(lake, conn, database_url, caplog):
    with psycopg.connect(database_url, autocommit=True) as other:
        holder = other.execute("SELECT pg_backend_pid()").fetchone()[0]
        other.execute("SELECT pg_advisory_lock(%s)", (BUILD_LOCK_ID,))
        waiting = threading.Thread(target=build, args=(conn, lake))
        with caplog.at_level(logging.WARNING, logger="wrapped_lake.marts.build"):
            waiting.start()
            wait_for(lambda: "waiting for the build lock" in caplog.text, timeout=30)
            other.execute("SELECT pg_advisory_unlock(%s)", (BUILD_LOCK_ID,))
            waiting.join()
    assert f"held by backend {holder} (idle for " in caplog.text
    assert "SELECT pg_advisory_lock" in caplog.text
