"""Every DAG file parses fast, cleanly, and carries the house defaults."""

from __future__ import annotations

import pytest

EXPECTED_DAGS = {"ingest_inbox", "simulate_feed"}


def test_dags_import_without_errors_or_warnings(dagbag):
    assert dagbag.import_errors == {}
    assert dagbag.captured_warnings == {}
    assert set(dagbag.dags) >= EXPECTED_DAGS


def test_each_file_parses_in_under_a_second(dagbag):
    slow = {s.file: s.duration.total_seconds() for s in dagbag.dagbag_stats if s.duration.total_seconds() >= 1}
    assert slow == {}


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_dag_has_owner_retries_tags_and_docs(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert dag.tags
    assert dag.doc_md
    for task in dag.tasks:
        assert task.owner == "wrapped-lake", task.task_id
        assert (task.retries or 0) >= 1, task.task_id


def test_ingest_inbox_runs_on_inbox_events_and_a_sweep_one_run_at_a_time(dagbag):
    dag = dagbag.dags["ingest_inbox"]
    assert dag.timetable.timetable.expression == "*/10 * * * *"
    assert [w.name for w in dag.timetable.asset_condition.watchers] == ["inbox_files"]
    assert dag.max_active_runs == 1
    assert dag.catchup is False
