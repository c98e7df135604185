"""Ingest: inbox files to the raw zone, Postgres and the curated Parquet zone, each file once.

discover (what is ready) -> prepare (hash, parse, key; no database) -> load (COPY and SQL merges,
one transaction per file, recorded in the registry) -> report; pipeline runs the steps.
"""

from wrapped_lake.ingest.discover import InboxFile, discover
from wrapped_lake.ingest.pipeline import ingest, ingest_file
from wrapped_lake.ingest.report import FileReport, RowCounts, Status, summarize

__all__ = ["FileReport", "InboxFile", "RowCounts", "Status", "discover", "ingest", "ingest_file", "summarize"]
