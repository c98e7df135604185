"""The forecast_feed DAG end to end with dag.test(): a small moving feed, built, then forecast."""

from __future__ import annotations

import datetime as dt

from wrapped_lake.assets import WRAPPED_MARTS
from wrapped_lake.ingest import ingest
from wrapped_lake.marts.build import build
from wrapped_lake.marts.forecast import BASELINE, DAYS_AHEAD, WEEKS_AHEAD
from wrapped_lake.simulate import simulate


def test_dag_refreshes_the_forecasts_after_a_marts_build(lake, conn, dagbag, airflow_db):
    simulate(20, 35, dt.date(2026, 3, 2), 3, lake.inbox, moving=True)  # 5 weeks from a Monday
    ingest(lake)
    build(conn, lake)

    run = dagbag.dags["forecast_feed"].test()

    assert run.state == "success"
    counts = dict(conn.execute("SELECT model = %s, count(*) FROM marts.forecasts GROUP BY 1", (BASELINE,)).fetchall())
    series = [r[0] for r in conn.execute("SELECT DISTINCT series FROM marts.forecasts ORDER BY 1")]
    assert "daily_sessions" in series and any(s.startswith("weekly_minutes:") for s in series)
    weekly = len(series) - 1
    assert counts == {True: DAYS_AHEAD + weekly * WEEKS_AHEAD, False: DAYS_AHEAD + weekly * WEEKS_AHEAD}


def test_dag_runs_on_each_marts_build(dagbag):
    assert list(dagbag.dags["forecast_feed"].timetable.asset_condition.objects) == [WRAPPED_MARTS]
