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

from wrapped_lake.platform.inbox_watch import InboxTrigger

CURATED_PLAYS = Asset(name="curated_plays", uri="wrapped-lake://curated/plays")
# Files younger than this may still be being copied into the inbox; the next run takes them.
SETTLE_SECONDS = 5
# An event when a settled file appears: drop-to-loading took 57-67 s on the old every-minute
# schedule, and a per-poll schedule would start a task process every few seconds.
INBOX = Asset(
    name="inbox",
    uri="wrapped-lake://inbox",
    watchers=[AssetWatcher(name="inbox_files", trigger=InboxTrigger(settle_seconds=SETTLE_SECONDS))],
)


@dag(
    schedule=AssetOrTimeSchedule(timetable=CronTriggerTimetable("*/10 * * * *", timezone="UTC"), assets=INBOX),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # one scan at a time; a file is still claimed safely in Postgres if two overlap
    is_paused_upon_creation=False,  # dropping a file should be enough, no UI step first
    default_args={"owner": "wrapped-lake", "retries": 3, "retry_delay": timedelta(seconds=20)},
    tags=["ingest", "exports"],
    doc_md=__doc__,
)
def ingest_inbox():
    @task
    def find_new_files() -> list[dict]:
        """List inbox files ready to ingest (cheap: no database access)."""
        from dataclasses import asdict

        from wrapped_lake.config import load_settings
        from wrapped_lake.ingest import discover

        return [asdict(item) for item in discover(load_settings(), min_age_seconds=SETTLE_SECONDS)]

    @task(map_index_template="{{ task.op_kwargs['item']['name'] }}")
    def ingest_file(item: dict) -> dict:
        """Ingest one file (a ZIP counts as one); returns its row counts by outcome."""
        from wrapped_lake.config import load_settings
        from wrapped_lake.ingest import InboxFile, ingest_one, totals

        reports = ingest_one(load_settings(), InboxFile(**item))
        for report in reports:
            print(report.to_json().decode())  # the task log shows what happened to each file
        return totals(reports)

    @task(outlets=[CURATED_PLAYS], trigger_rule=TriggerRule.ALL_DONE_MIN_ONE_SUCCESS)
    def publish_curated(results: list[dict]):
        """Rewrite the curated Parquet partitions that changed, and report the run's counts."""
        from collections import Counter

        from wrapped_lake import curated, db
        from wrapped_lake.config import load_settings

        settings = load_settings()
        with db.connect(settings) as conn:
            partitions = curated.publish(conn, settings.curated)
        counts = Counter()
        # One slice request: iterating would ask for one item past the end ("XCom not found").
        for result in results[:]:
            counts.update(result or {})  # a mapped file that failed for good has no result
        yield Metadata(CURATED_PLAYS, {"partitions_written": partitions, **counts})

    publish_curated(ingest_file.expand(item=find_new_files()))


ingest_inbox()
