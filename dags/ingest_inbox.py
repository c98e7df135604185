"""
### Ingest the inbox

Every minute, picks up Spotify exports (ZIPs or loose JSON) dropped into
`$LAKE_ROOT/inbox/<listener>/`, lands their exact bytes in the raw zone, loads every play once into
Postgres (`curated.plays` and friends), quarantines bad files with a reason, and rewrites the
changed curated Parquet partitions. An empty inbox costs one directory listing.

Emits the `curated_plays` asset with the run's row counts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Metadata, TriggerRule, dag, task

from wrapped_lake.assets import CURATED_PLAYS, Tag


@dag(
    schedule="* * * * *",
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
        yield Metadata(CURATED_PLAYS, {"partitions_written": partitions, **add_summaries(results)})

    publish_curated(ingest_file.expand(item=find_new_files()))


ingest_inbox()
