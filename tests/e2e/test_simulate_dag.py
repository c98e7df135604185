"""The simulate_feed DAG run end to end with dag.test(): same files as simulate(), bad forms refused."""

from __future__ import annotations

import datetime as dt

import pytest

from wrapped_lake.simulate import simulate

CONF = {"users": 3, "days": 1, "seed": 7, "shards": 2}


def test_dag_writes_the_same_files_as_simulate(lake, dagbag, airflow_db, tmp_path):
    run = dagbag.dags["simulate_feed"].test(run_conf=CONF)

    assert run.state == "success"
    states = {(ti.task_id, ti.map_index): ti.state for ti in run.get_task_instances()}
    assert states == {
        ("plan_shards", -1): "success",
        ("simulate_shard", 0): "success",
        ("simulate_shard", 1): "success",
        ("summarize", -1): "success",
    }
    written = lake.inbox / "simulated"
    expected = tmp_path / "direct"
    for shard in range(2):
        simulate(3, 1, dt.date(2026, 1, 1), 7, expected, shard_index=shard, shard_count=2)
    files = sorted(p.relative_to(written) for p in written.rglob("*.avro"))
    assert files
    assert files == sorted(p.relative_to(expected / "simulated") for p in (expected / "simulated").rglob("*.avro"))
    assert all((written / f).read_bytes() == (expected / "simulated" / f).read_bytes() for f in files)
    summary = next(ti for ti in run.get_task_instances() if ti.task_id == "summarize").xcom_pull()
    assert summary["files"] == len(files) and summary["shards"] == 2 and summary["events"] > 0


def test_a_form_with_zero_users_is_refused_at_trigger_time(lake, dagbag, airflow_db):
    with pytest.raises(ValueError, match="Invalid input for param users"):
        dagbag.dags["simulate_feed"].test(run_conf={**CONF, "users": 0})
    assert not (lake.inbox / "simulated").exists()
