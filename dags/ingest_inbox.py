"""
### Ingest the inbox

Picks up Spotify exports (ZIPs or loose JSON) dropped into
`$LAKE_ROOT/inbox/<listener>/`, lands their exact bytes in the raw zone, loads every play once into
Postgres (`curated.plays` and friends), quarantines bad files with a reason, and rewrites the
changed curated Parquet partitions. Runs when the triggerer sees a new file settle in the inbox
(a dropped file starts loading ~10 s later), and every ten minutes for files a failed run left.

Emits the `curated_plays` asset with the run's row counts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, AssetOrTimeSchedule, AssetWatcher, CronTriggerTimetable, Metadata, TriggerRule, dag, task

from wrapped_lake.assets import CURATED_PLAYS, Tag
from wrapped_lake.inbox_watch import InboxTrigger

# An event when a file lands and has stopped changing: drop-to-loading took 57-67 s on the old
# every-minute schedule, and a per-poll schedule would start a task process every few seconds.
INBOX = Asset(
    name="inbox",
    uri="wrapped-lake://inbox",
    watchers=[AssetWatcher(name="inbox_files", trigger=InboxTrigger())],
)


@dag(
    schedule=AssetOrTimeSchedule(timetable=CronTriggerTimetable("*/10 * * * *", timezone="UTC"), assets=INBOX),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # one scan at a time; a file is still claimed safely in Postgres if two overlap
    is_paused_upon_creation=False,  # dropping a file should be enough, no UI step first
    default_args={"owner": "wrapped-lake", "retries": 3, "retry_delay": timedelta(seconds=20)},
    tags=[Tag.INGEST, Tag.EXPORTS],
    doc_md=__doc__,
)
def ingest_inbox():
    @task
    def find_new_files() -> list[dict]:
        """List inbox files that have stopped changing (cheap: no database access)."""
        from dataclasses import asdict

        from wrapped_lake.ingest import discover
        from wrapped_lake.platform.config import load_settings

        return [asdict(item) for item in discover(load_settings())]

    @task(map_index_template="{{ task.op_kwargs['item']['name'] }}")
    def ingest_file(item: dict) -> dict:
        """Ingest one file (a ZIP counts as one); returns its files and rows by outcome."""
        from wrapped_lake.ingest import InboxFile, ingest_file, summarize
        from wrapped_lake.platform.config import load_settings

        reports = ingest_file(load_settings(), InboxFile(**item))
        for report in reports:
            print(report.to_json().decode())  # the task log shows what happened to each file
        return summarize(reports)

    @task(outlets=[CURATED_PLAYS], trigger_rule=TriggerRule.ALL_DONE_MIN_ONE_SUCCESS)
    def publish_curated(results: list[dict]):
        """Rewrite the curated Parquet partitions that changed, and report the run's counts."""
        from wrapped_lake.ingest.report import add_summaries
        from wrapped_lake.platform import db
        from wrapped_lake.platform.config import load_settings
        from wrapped_lake.zones import parquet

        settings = load_settings()
        with db.connect(settings) as conn:
            partitions = parquet.publish(conn, settings.curated)
        # results[:] is one request; iterating asks for an item past the end ("XCom not found").
        yield Metadata(CURATED_PLAYS, {"partitions_written": partitions, **add_summaries(results[:])})

    publish_curated(ingest_file.expand(item=find_new_files()))


ingest_inbox()
