"""Load prepared rows into Postgres in bulk (COPY), inside the caller's transaction, every play once.

Two paths, both set-based (see sources.Source.direct):
- Extended history and the simulated feed (the bulk of every lake): rows are deduplicated in Arrow
  against the listener's existing keys for the file's time range (one query), then COPYed straight
  into curated.play_rows (read through the view curated.plays).
- Account data, library, playlists, searches and the feed's users, tracks and interactions (small
  files or fuzzy matching rules): COPY into a temporary staging table (sql/curated/stage_*.sql),
  then a merge in SQL (sql/curated/merge_*.sql).
A load says what it inserted and which rows it changed in place; keeping the curated Parquet zone
in step is the pipeline's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg
import pyarrow as pa
import pyarrow.compute as pc

from wrapped_lake.ingest.prepare import LoadBatch
from wrapped_lake.ingest.sources import Source
from wrapped_lake.platform.db import copy_arrow, query

Months = list[tuple[int, int, int]]  # UTC (year, month, 0); (0, 0, 0) for datasets not partitioned by time


@dataclass
class LoadResult:
    """What a load did with a batch."""

    loaded: int = 0
    duplicate: int = 0
    overlap: int = 0
    replaced: int = 0
    plays: int = 0  # of `loaded`, how many are plays (a feed file also loads interactions)
    # Direct loads: the rows now in curated.play_rows, with their per-file columns.
    inserted: pa.Table | None = None
    # Rows changed in place (merged, replaced, reclassified), by dataset: the months they fall in.
    changed: dict[str, Months] = field(default_factory=dict)

    def changed_in(self, dataset: str, months: Months) -> None:
        self.changed.setdefault(dataset, []).extend(months)


def load_plays(
    conn: psycopg.Connection, batch: LoadBatch, *, listener: str, source: Source, kind: str, file_id: int
) -> LoadResult:
    """Load one file's plays; account data defers to extended history and vice versa."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (source.lock(listener),))
    if source.direct:
        result = _load_direct(conn, batch, listener=listener, source=source, file_id=file_id)
    else:
        result = _merge_account(conn, batch, listener=listener, file_id=file_id)
    if kind == "account_mixed" or (batch.names_shows and _has_mixed_history(conn, listener)):
        _reclassify_account_podcasts(conn, listener, result)
    return result


def _load_direct(
    conn: psycopg.Connection, batch: LoadBatch, *, listener: str, source: Source, file_id: int
) -> LoadResult:
    table = batch.table
    if not table.num_rows:
        return LoadResult(duplicate=batch.offered)
    listeners = pc.unique(table["listener"]).to_pylist() if source.listener_per_row else [listener]
    span = {"listener": listener, "listeners": listeners, "first": batch.first, "last": batch.last, "file_id": file_id}
    existing = [key for (key,) in conn.execute(query("curated/play_keys_in_range"), span)]
    if existing:
        table = table.filter(pc.invert(pc.is_in(table["play_key"], value_set=pa.array(existing, pa.binary(16)))))
    # source_file stays in the table for the Parquet files; Postgres has it as ingest.files.name.
    copy_arrow(conn, "curated.play_rows", table.drop_columns(["source_file"]))
    if source.listener_per_row:  # a feed file: the hours each simulated user gained plays in
        copy_arrow(conn, "ingest.file_spans", _spans(table, file_id))
    result = LoadResult(loaded=table.num_rows, duplicate=batch.offered - table.num_rows, inserted=table)
    superseding = table.num_rows and source.supersedes_account
    if superseding and conn.execute(query("curated/has_account_rows_in_range"), span).fetchone()[0]:
        result.replaced = _run_changing(conn, "curated/replace_account_overlap", span, result)
    return result


def _spans(table: pa.Table, file_id: int) -> pa.Table:
    """Per listener, the first and last end time of the plays in `table` (ingest.file_spans rows)."""
    spans = table.group_by("listener").aggregate([("ended_at", "min"), ("ended_at", "max")])
    return pa.table({
        "file_id": pa.array([file_id] * spans.num_rows, pa.int64()),
        "listener": spans["listener"],
        "first_ended_at": spans["ended_at_min"],
        "last_ended_at": spans["ended_at_max"],
    })  # fmt: skip


def _merge_account(conn: psycopg.Connection, batch: LoadBatch, *, listener: str, file_id: int) -> LoadResult:
    params = {"listener": listener, "file_id": file_id}
    conn.execute(query("curated/stage_plays"))
    copy_arrow(conn, "stage_plays", batch.table)
    overlap = conn.execute(query("curated/mark_account_overlap"), params).rowcount
    result = LoadResult(overlap=overlap)
    result.loaded = _run_changing(conn, "curated/merge_account_plays", params, result)
    result.duplicate = batch.offered - result.loaded - overlap
    return result


def _has_mixed_history(conn: psycopg.Connection, listener: str) -> bool:
    return conn.execute(query("ingest/has_mixed_history"), {"listener": listener}).fetchone()[0]


def _reclassify_account_podcasts(conn: psycopg.Connection, listener: str, result: LoadResult) -> None:
    _run_changing(conn, "curated/reclassify_account_podcasts", {"listener": listener}, result)


def _run_changing(conn: psycopg.Connection, statement: str, params: dict, result: LoadResult) -> int:
    """Run a statement that changes plays and returns (year, month, rows); note the months as
    changed and return how many rows changed."""
    rows = conn.execute(query(statement), params).fetchall()
    result.changed_in("plays", [(year, month, 0) for year, month, _ in rows])
    return sum(count for _, _, count in rows)


def load_items(conn: psycopg.Connection, batch: LoadBatch, *, listener: str, file_id: int) -> LoadResult:
    """Merge library, playlist, search or feed dimension rows for one listener (or the feed)."""
    dataset = batch.dataset
    conn.execute(query(f"curated/stage_{dataset}"))
    copy_arrow(conn, f"stage_{dataset}", batch.table)
    loaded = conn.execute(query(f"curated/merge_{dataset}"), {"listener": listener, "file_id": file_id}).fetchone()[0]
    result = LoadResult(loaded=loaded, duplicate=batch.offered - loaded)
    if loaded:
        result.changed_in(dataset, [(0, 0, 0)])
    if batch.names_shows and loaded and _has_mixed_history(conn, listener):
        _reclassify_account_podcasts(conn, listener, result)
    return result
