"""What DAG files share: the lake's Airflow assets and the tags a DAG may carry."""

from __future__ import annotations

from enum import StrEnum

from airflow.sdk import Asset

# Emitted by ingest_inbox when a run loaded files; its metadata holds the run's counts.
CURATED_PLAYS = Asset(name="curated_plays", uri="wrapped-lake://curated/plays")


class Tag(StrEnum):
    """DAG tags, from one list so the UI's tag filter stays short (the DAG tests enforce it)."""

    INGEST = "ingest"
    EXPORTS = "exports"
    SIMULATE = "simulate"
    FEED = "feed"
    MARTS = "marts"
    REPORTS = "reports"
