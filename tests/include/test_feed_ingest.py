"""The simulated AVRO feed through the lake: raw, curated Parquet and Postgres, with the export rules."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import time

import fastavro
import orjson
import pyarrow.dataset as ds
import pytest
from v1_feed import v1_event, v1_file

from wrapped_lake.ingest import discover, ingest
from wrapped_lake.simulate import simulate
from wrapped_lake.zones.raw import sha256

START = dt.date(2026, 3, 2)


def _events(paths) -> list[dict]:
    records = []
    for path in paths:
        with path.open("rb") as f:
            records.extend(fastavro.reader(f))
    return records


def _feed_state(conn) -> tuple:
    return conn.execute(
        "SELECT (SELECT count(*) FROM curated.plays WHERE source = 'feed'),"
        " (SELECT sum(ms_played) FROM curated.plays WHERE source = 'feed'),"
        " (SELECT count(*) FROM curated.feed_users), (SELECT count(*) FROM curated.feed_tracks),"
        " (SELECT count(*) FROM curated.feed_interactions),"
        " (SELECT count(*) FROM ingest.files WHERE status = 'loaded')"
    ).fetchone()


def test_every_simulated_play_lands_once_with_users_tracks_and_interactions(lake, conn):
    paths = simulate(30, 2, START, 11, lake.inbox)
    events = _events(paths)
    plays = [e for e in events if e["activityType"] in ("PLAY", "SKIP")]
    reports = ingest(lake)
    assert {r.status for r in reports} == {"loaded"}
    count, total, users, tracks, interactions, _files = _feed_state(conn)
    assert count == len(plays)
    assert total == sum(e["playedMs"] for e in plays)
    assert users == len({e["userId"] for e in events})
    assert tracks == len({e["songId"] for e in events if e["songId"]})
    assert interactions == len(events) - len(plays)
    per_listener = dict(
        conn.execute("SELECT listener, count(*) FROM curated.plays WHERE source = 'feed' GROUP BY 1").fetchall()
    )
    assert per_listener == {u: sum(1 for e in plays if e["userId"] == u) for u in {e["userId"] for e in plays}}
    # Each file's span per user (the hours a build rebuilds) and a BRIN index that covers every play.
    spans = conn.execute("SELECT file_id, listener, first_ended_at, last_ended_at FROM ingest.file_spans").fetchall()
    first_last = conn.execute("SELECT file_id, listener, min(ended_at), max(ended_at) FROM curated.play_rows"
                              " GROUP BY 1, 2").fetchall()  # fmt: skip
    assert sorted(spans) == sorted(first_last) and len({file_id for file_id, *_ in spans}) == len(paths)
    unsummarized = conn.execute("SELECT brin_summarize_new_values('curated.play_rows_file_time_brin')").fetchone()
    assert unsummarized == (0,)
    parquet = ds.dataset(lake.curated / "feed_plays", partitioning="hive").to_table()
    assert parquet.num_rows == count
    assert {f"date={START}", f"date={START + dt.timedelta(days=1)}"} <= {
        p.name for p in (lake.curated / "feed_plays").iterdir()
    }
    for path in paths:
        data = path.read_bytes() if path.exists() else None
        assert data is None  # released from the inbox
    assert discover(lake) == []


def test_ingesting_the_feed_twice_changes_nothing(lake, conn, tmp_path):
    paths = simulate(10, 1, START, 3, tmp_path / "feed")
    for path in paths:
        target = lake.inbox / "simulated" / path.relative_to(tmp_path / "feed" / "simulated")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    ingest(lake)
    before = _feed_state(conn)
    again = ingest(lake, [str(tmp_path / "feed")], listener="simulated")
    assert {r.status for r in again} == {"duplicate"}
    assert _feed_state(conn) == before
    assert ds.dataset(lake.curated / "feed_plays", partitioning="hive").count_rows() == before[0]


def test_raw_zone_keeps_the_exact_avro_bytes(lake, conn, tmp_path):
    paths = simulate(5, 1, START, 9, tmp_path / "feed")
    shutil.copytree(tmp_path / "feed" / "simulated", lake.inbox / "simulated")
    ingest(lake)
    for path in paths:
        (raw,) = lake.raw.glob(f"ingest_date=*/*/{sha256(path.read_bytes())}.avro")
        assert raw.read_bytes() == path.read_bytes()


def test_a_corrupt_or_foreign_avro_file_is_quarantined_and_the_rest_loads(lake, conn):
    paths = simulate(8, 1, START, 4, lake.inbox)
    good = len(paths)
    truncated = lake.inbox / "simulated" / "broken.avro"
    truncated.write_bytes(paths[0].read_bytes()[:-100])
    foreign = io.BytesIO()
    fastavro.writer(
        foreign,
        fastavro.parse_schema({"type": "record", "name": "Other", "fields": [{"name": "x", "type": "int"}]}),
        [{"x": 1}],
    )
    (lake.inbox / "simulated" / "other.avro").write_bytes(foreign.getvalue())
    for path in (truncated, lake.inbox / "simulated" / "other.avro"):  # finished copies, not ones in progress
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    reports = {r.file: r for r in ingest(lake)}
    assert reports["broken.avro"].status == "quarantined"
    assert reports["other.avro"].status == "quarantined"
    assert reports["other.avro"].reason
    assert sum(r.status == "loaded" for r in reports.values()) == good
    sidecars = list((lake.quarantine / "simulated").glob("*.error.json"))
    assert len(sidecars) == 2
    assert all(orjson.loads(p.read_bytes())["reason"] for p in sidecars)


def test_a_file_written_with_the_earlier_record_loads(lake, conn):
    (lake.inbox / "simulated").mkdir(parents=True)
    (lake.inbox / "simulated" / "legacy.avro").write_bytes(v1_file([v1_event()]))
    (report,) = ingest(lake)
    assert report.status == "loaded"
    row = conn.execute("SELECT listener, ms_played, track_name FROM curated.plays WHERE source = 'feed'").fetchone()
    assert row == ("legacy-user", 180_000, "Old Song")


@pytest.mark.slow
def test_a_crash_mid_feed_load_then_a_rerun_ends_as_an_uninterrupted_run(lake, conn, tmp_path):
    source = tmp_path / "feed"
    simulate(20, 1, START, 8, source)
    env = {**os.environ, "LAKE_ROOT": str(lake.root), "LAKE_DATABASE_URL": lake.database_url}

    def run(crash_at: str | None = None) -> int:
        extra = {"WRAPPED_LAKE_CRASH_AT": crash_at} if crash_at else {}
        return subprocess.run(
            [sys.executable, "-m", "wrapped_lake.cli", "ingest"], env={**env, **extra}, capture_output=True, timeout=300
        ).returncode

    shutil.copytree(source / "simulated", lake.inbox / "simulated")
    assert run() == 0
    uninterrupted = _feed_state(conn)
    conn.execute(
        "TRUNCATE ingest.files, ingest.dirty_partitions, curated.play_rows, curated.feed_users, curated.feed_tracks, "
        "curated.feed_interactions CASCADE"
    )
    shutil.rmtree(lake.root)
    shutil.copytree(source / "simulated", lake.inbox / "simulated")
    assert run("before_commit") == -9
    assert run() == 0
    assert _feed_state(conn) == uninterrupted
    assert ds.dataset(lake.curated / "feed_plays", partitioning="hive").count_rows() == uninterrupted[0]


@pytest.mark.slow
@pytest.mark.parametrize("users", [1, 40])
def test_simulate_cli_is_deterministic_and_prints_a_summary(tmp_path, users):
    def run(out):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "wrapped_lake.cli",
                "simulate",
                "--users",
                str(users),
                "--days",
                "2",
                "--seed",
                "5",
                "--start",
                "2026-02-01",
                "--out",
                str(out),
            ],
            capture_output=True,
            timeout=300,
            check=True,
        )
        return json.loads(result.stdout)

    first, second = run(tmp_path / "a"), run(tmp_path / "b")
    assert first["events"] == second["events"] > 0
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.avro"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.avro"))
    assert files_a == files_b and len(files_a) == first["files"]
    assert all((tmp_path / "a" / p).read_bytes() == (tmp_path / "b" / p).read_bytes() for p in files_a)


def test_simulate_cli_rejects_a_bad_request(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "wrapped_lake.cli", "simulate", "--users", "0", "--days", "1", "--out", str(tmp_path)],
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert b"at least 1" in result.stderr
