"""
### Build the Wrapped marts

Brings the marts (`marts.hourly_plays` and friends) up to date whenever the ingest DAG publishes
new plays (the `curated_plays` asset), and at least once a day: only the listeners and hours that
new files touched are rebuilt. The data checks beside the models (`sql/models/**/*.check.sql`)
then run as SQL check operators on the `lake_pg` connection (a failing check fails the run), and the HTML report of
every export listener whose figures changed is written to `$LAKE_ROOT/reports/<listener>/`.

Trigger it by hand for a full rebuild, or to write one listener's report for one year.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from airflow.providers.common.sql.operators.sql import SQLCheckOperator
from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, Param, dag, task

from wrapped_lake.assets import CURATED_PLAYS, WRAPPED_MARTS, Tag

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"
# The data checks, each beside the model it checks (a glob of a few files: cheap at parse time).
CHECKS = sorted(SQL_DIR.glob("models/**/*.check.sql"))
LAKE_CONN_ID = "lake_pg"  # AIRFLOW_CONN_LAKE_PG: the lake's Postgres, for the check operators


@dag(
    # New plays, or a daily pass for zone changes and anything an asset event missed.
    schedule=AssetOrTimeSchedule(timetable=CronTriggerTimetable("0 3 * * *", timezone="UTC"), assets=[CURATED_PLAYS]),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # builds serialise on a lock anyway; queued runs would only wait
    is_paused_upon_creation=False,  # a dropped export should end in a report with no UI step
    template_searchpath=[str(SQL_DIR)],
    default_args={"owner": "wrapped-lake", "retries": 1, "retry_delay": timedelta(seconds=30)},
    tags=[Tag.MARTS, Tag.REPORTS],
    doc_md=__doc__,
    params={
        "full_rebuild": Param(
            False, type="boolean", title="Full rebuild", description="Rebuild every listener from curated data."
        ),
        "listener": Param(
            None,
            type=["null", "string"],
            minLength=1,
            title="Listener",
            description="Also write this listener's report (any listener, simulated users too).",
            section="One report",
        ),
        "year": Param(
            None,
            type=["null", "integer"],
            minimum=2000,
            maximum=2100,
            title="Year",
            description="The year of that report.",
            section="One report",
        ),
    },
)
def build_wrapped():
    @task(outlets=[WRAPPED_MARTS])
    def build_marts(params: dict) -> list[str]:
        """Rebuild what changed (everything on a full rebuild); returns the listeners it changed."""
        from wrapped_lake.marts.tasks import build_marts

        return build_marts(full=bool(params["full_rebuild"]))

    checks = [
        SQLCheckOperator(
            task_id=f"check_{path.name.removesuffix('.check.sql')}",
            conn_id=LAKE_CONN_ID,
            sql=str(path.relative_to(SQL_DIR)),
        )
        for path in CHECKS
    ]

    @task
    def write_reports(changed: list[str], params: dict) -> list[str]:
        """The HTML reports of the export listeners the build changed, and the one the form asked for."""
        from wrapped_lake.reports.publish import write_reports

        return write_reports(changed, params.get("listener"), params.get("year"))

    changed = build_marts()
    changed >> checks >> write_reports(changed)


build_wrapped()
