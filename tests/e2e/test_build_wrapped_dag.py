"""The build_wrapped DAG end to end with dag.test(): build, SQL check operators, reports."""

from __future__ import annotations

import pytest

from wrapped_lake import fixtures
from wrapped_lake.ingest import ingest
from wrapped_lake.platform import db, models


@pytest.fixture
def lake_pg(database_url, monkeypatch):
    """The check operators' Airflow connection to the test database."""
    monkeypatch.setenv("AIRFLOW_CONN_LAKE_PG", db.airflow_connection(database_url))


def test_dag_builds_checks_and_writes_the_changed_reports(lake, conn, lake_pg, dagbag, airflow_db):
    export = fixtures.full_history("erin", plays=600)
    fixtures.write_files(lake.inbox / "erin", export.files)
    ingest(lake)

    run = dagbag.dags["build_wrapped"].test()

    assert run.state == "success"
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    checks = {f"check_{check.name}" for check in models.checks()}  # the DAG's check tasks, one per check file
    assert {"check_no_negative_minutes", "check_totals_match_curated", "check_top_lists"} <= checks
    assert set(states) == {"build_marts", *checks, "write_reports"}
    assert set(states.values()) == {"success"}
    years = [row[0] for row in conn.execute("SELECT year FROM marts.listener_years WHERE listener = 'erin'")]
    pages = sorted(p.name for p in (lake.reports / "erin").glob("*.html"))
    assert pages == sorted(f"wrapped_{year}.html" for year in years)
    assert "Top artists" in (lake.reports / "erin" / f"wrapped_{years[-1]}.html").read_text()


def test_a_failing_check_fails_the_run(lake, conn, lake_pg, dagbag, airflow_db, monkeypatch):
    fixtures.write_files(lake.inbox / "erin", fixtures.full_history("erin", plays=300).files)
    ingest(lake)
    from wrapped_lake.marts import build as marts_build

    real_build = marts_build.build

    def build_then_break(conn, settings, **kwargs):  # a build bug: negative minutes
        result = real_build(conn, settings, **kwargs)
        conn.execute("UPDATE marts.hourly_plays SET ms_played = -ms_played - 1")
        return result

    monkeypatch.setattr(marts_build, "build", build_then_break)

    run = dagbag.dags["build_wrapped"].test()

    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert run.state == "failed"
    assert states["build_marts"] == "success"
    assert states["check_no_negative_minutes"] == "failed"
    assert states["write_reports"] == "upstream_failed"
    assert not (lake.reports / "erin").exists()


def test_manual_full_rebuild_and_one_report(lake, conn, lake_pg, dagbag, airflow_db):
    fixtures.write_files(lake.inbox / "erin", fixtures.full_history("erin", plays=300).files)
    ingest(lake)
    run = dagbag.dags["build_wrapped"].test(run_conf={"full_rebuild": True, "listener": "erin", "year": 2020})
    assert run.state == "success"
    assert (lake.reports / "erin" / "wrapped_2020.html").exists()
