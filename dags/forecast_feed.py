"""
### Forecast the simulated feed

After each marts build (the `wrapped_marts` asset), refreshes `marts.forecasts`: weekly music
minutes and weekly active users per continent for the next 4 weeks, and the population's daily
sessions for the next 28 days, each with an 80% interval, by the Theta method and by the
seasonal-naive baseline (`wrapped_lake.marts.forecast`). A refresh replaces every row; it reads
only weekly and daily aggregates of the marts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task

from wrapped_lake.assets import WRAPPED_MARTS, Tag


@dag(
    schedule=[WRAPPED_MARTS],  # each marts build that brought new plays
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # a refresh replaces the table: two at once would only redo the same work
    default_args={"owner": "wrapped-lake", "retries": 1, "retry_delay": timedelta(seconds=30)},
    tags=[Tag.FEED, Tag.MARTS],
    doc_md=__doc__,
)
def forecast_feed():
    @task
    def refresh_forecasts() -> dict[str, int]:
        """Replace marts.forecasts; returns how many series and rows it wrote."""
        from wrapped_lake.marts.forecast import refresh_lake

        return refresh_lake()

    refresh_forecasts()


forecast_feed()
