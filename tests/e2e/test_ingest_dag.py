"""The ingest_inbox DAG run end to end with dag.test() against a real Postgres."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import orjson
import psycopg
import pyarrow.dataset as ds

from wrapped_lake import fixtures
from wrapped_lake.ingest import discover


def _settle(paths_root) -> None:
    """Make dropped files look like finished copies (older than discover.RECENT_SECONDS)."""
    past = time.time() - 3600
    for path in paths_root.rglob("*"):
        os.utime(path, (past, past))


def test_dag_ingests_the_inbox_and_emits_the_asset(lake, conn, dagbag, airflow_db):
    history = fixtures.full_history("erin", plays=800, per_file=300)
    fixtures.write_files(lake.inbox / "erin", history.files)
    fixtures.write_files(lake.inbox / "erin-bad", {"empty.json": b"", "broken.zip": b"PK\x03\x04 nope"})
    _settle(lake.inbox)

    run = dagbag.dags["ingest_inbox"].test()

    assert run.state == "success"
    states = {(ti.task_id, ti.map_index): ti.state for ti in run.get_task_instances()}
    assert sum(1 for task_id, _ in states if task_id == "ingest_file") == 6
    assert set(states.values()) == {"success"}
    count = conn.execute("SELECT count(*) FROM curated.plays WHERE listener = 'erin'").fetchone()[0]
    assert count == len(history.truth.plays)
    assert ds.dataset(lake.curated / "plays", partitioning="hive").count_rows() == count
    assert len(list((lake.quarantine / "erin-bad").glob("*.error.json"))) == 2
    assert discover(lake) == []

    loaded_rows = conn.execute("SELECT sum(rows_loaded) FROM ingest.files WHERE kind <> 'zip'").fetchone()[0]
    from airflow.models.asset import AssetEvent
    from airflow.utils.session import create_session

    with create_session() as session:
        event = session.query(AssetEvent).order_by(AssetEvent.id.desc()).first()
        assert event.extra["loaded"] == loaded_rows  # plays, library, playlist and search rows
        assert event.extra["files"] == 20  # ZIP entries, the duplicate ZIP and the two bad files
        assert event.extra["files_quarantined"] == 2


def test_dag_on_an_empty_inbox_does_nothing_expensive(lake, conn, dagbag, airflow_db):
    run = dagbag.dags["ingest_inbox"].test()
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert states["find_new_files"] == "success"
    assert states["ingest_file"] == "skipped"
    assert states["publish_curated"] == "skipped"
    assert conn.execute("SELECT count(*) FROM ingest.files").fetchone()[0] == 0


def test_simulated_feed_flows_from_the_simulate_dag_through_the_ingest_dag(lake, conn, dagbag, airflow_db):
    run = dagbag.dags["simulate_feed"].test(run_conf={"users": 12, "days": 1, "seed": 3, "shards": 2})
    assert run.state == "success"
    written = sorted(lake.inbox.rglob("*.avro"))
    assert written
    _settle(lake.inbox)

    run = dagbag.dags["ingest_inbox"].test()

    assert run.state == "success"
    files = conn.execute("SELECT count(*) FROM ingest.files WHERE kind = 'feed' AND status = 'loaded'").fetchone()[0]
    assert files == len(written)
    listeners = conn.execute("SELECT count(DISTINCT listener) FROM curated.plays WHERE source = 'feed'").fetchone()[0]
    users = conn.execute("SELECT count(*) FROM curated.feed_users").fetchone()[0]
    assert 0 < listeners <= users <= 12
    assert discover(lake) == []


def test_the_dag_and_the_cli_at_once_never_load_a_file_twice(lake, conn, dagbag, airflow_db):
    history = fixtures.full_history("erin", plays=20_000, per_file=500)
    fixtures.write_files(lake.inbox / "erin", history.files)
    _settle(lake.inbox)
    env = {**os.environ, "LAKE_ROOT": str(lake.root), "LAKE_DATABASE_URL": lake.database_url}
    cli: list[subprocess.Popen] = []

    def start_cli_once_the_dag_is_loading() -> None:
        with psycopg.connect(lake.database_url, autocommit=True) as watcher:
            while not watcher.execute("SELECT count(*) FROM ingest.files WHERE status = 'loaded'").fetchone()[0]:
                time.sleep(0.02)
        command = [sys.executable, "-m", "wrapped_lake.cli", "ingest"]
        cli.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE))

    starter = threading.Thread(target=start_cli_once_the_dag_is_loading)
    starter.start()
    run = dagbag.dags["ingest_inbox"].test()
    starter.join(timeout=60)
    out, err = cli[0].communicate(timeout=300)

    assert cli[0].returncode == 0, err
    assert run.state == "success"
    registry = conn.execute(
        "SELECT name, count(*) FROM ingest.files WHERE status = 'loaded' AND kind <> 'zip' GROUP BY name"
    ).fetchall()
    assert registry and all(count == 1 for _, count in registry)
    cli_loaded = {line["file"] for line in map(orjson.loads, out.splitlines()) if line["status"] == "loaded"}
    assert cli_loaded < {name for name, _ in registry}  # the DAG loaded the rest
    count = conn.execute("SELECT count(*) FROM curated.plays WHERE listener = 'erin'").fetchone()[0]
    assert count == len(history.truth.plays)
    assert ds.dataset(lake.curated / "plays", partitioning="hive").count_rows() == count
    assert discover(lake) == []
