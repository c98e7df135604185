"""Load parsed rows into Postgres in bulk (COPY), one transaction per file, every play once.

Two paths, both set-based:
- Extended history and the simulated feed (the bulk of every lake): rows are keyed and deduplicated
  in Arrow against the listener's existing keys for the file's time range (one query), then COPYed
  straight into curated.play_rows (queried as the view curated.plays). INSERT ... SELECT from a
  staging table costs ~3x more per row.
- Account data, library, playlists and searches (small files with fuzzy matching rules): COPY into a
  temporary staging table, then a merge in SQL (sql/curated/*.sql).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import psycopg
import pyarrow as pa
import pyarrow.compute as pc

from wrapped_lake.curated import DATASETS
from wrapped_lake.db import copy_arrow, query

try:
    # CPython's own MD5: for millions of ~150-byte identities it is ~30% cheaper than OpenSSL's
    # through hashlib, which sets up and copies a context per digest. The same digest either way.
    from _md5 import md5
except ImportError:  # an interpreter built without it
    from hashlib import md5

# Sources whose rows go straight into curated.plays; account data goes through staging.
DIRECT_SOURCES = ("extended", "feed")


@dataclass
class MergeCounts:
    """What a merge did with the staged rows."""

    loaded: int = 0
    duplicate: int = 0
    overlap: int = 0
    replaced: int = 0
    # Direct loads only: the rows inserted, and the month partitions (year, month, generation)
    # that were in sync before, so the curated zone can take the rows as appended files.
    inserted: pa.Table | None = None
    fresh: list[tuple[int, int, int]] = field(default_factory=list)


@dataclass
class Staged:
    """Rows ready to load, made away from the connection so a worker thread can prepare the next
    file while Postgres merges this one."""

    dataset: str
    table: pa.Table
    rows: int  # rows offered, before duplicates within the file were dropped
    has_shows: bool = False  # names podcast shows: may reclassify old mixed account rows

    @property
    def first(self) -> datetime | None:
        return pc.min(self.table["ended_at"]).as_py() if self.table.num_rows else None

    @property
    def last(self) -> datetime | None:
        return pc.max(self.table["ended_at"]).as_py() if self.table.num_rows else None


def stage(
    dataset: str,
    table: pa.Table,
    *,
    listener: str,
    source: str | None = None,
    source_file: str = "",
    file_id: int = 0,
) -> Staged:
    """Make a parsed table ready for COPY; plays get their play_key (and, on the direct path, every
    curated.plays column) here."""
    offered = table.num_rows
    has_shows = _names_shows(dataset, table)
    if dataset == "plays":
        # The feed carries its listeners per row; export files belong to one listener.
        per_row = "listener" in table.column_names
        table = table.append_column("play_key", play_keys(table, table["listener"] if per_row else listener, source))
        if source in DIRECT_SOURCES:
            table = _unique_keys(table)
            n = table.num_rows
            started = pc.subtract(pc.cast(table["ended_at"], pa.int64()), table["ms_played"])
            table = table.append_column("started_at", pc.cast(started, pa.timestamp("ms", tz="UTC")))
            constants = [("listener", listener, pa.string())] if not per_row else []
            for name, value, arrow_type in (
                *constants,
                ("source", source, pa.string()),
                ("source_file", source_file, pa.string()),
                ("file_id", file_id, pa.int64()),
            ):
                table = table.append_column(name, pa.repeat(pa.scalar(value, arrow_type), n))
    return Staged(dataset, table, offered, has_shows)


def _names_shows(dataset: str, table: pa.Table) -> bool:
    if dataset == "plays":
        return table["show_name"].null_count < table.num_rows
    if dataset == "library_items":
        return pc.any(pc.equal(table["item_type"], "show")).as_py() or False
    return False


def _unique_keys(table: pa.Table) -> pa.Table:
    """Drop exact repeats of a play within one file, keeping the first."""
    if pc.count_distinct(table["play_key"]).as_py() == table.num_rows:
        return table
    seen: set[bytes] = set()
    keep = [not (key in seen or seen.add(key)) for key in table["play_key"].to_pylist()]
    return table.filter(pa.array(keep))


def play_keys(table: pa.Table, listener: str | pa.ChunkedArray, source: str) -> pa.Array:
    """MD5 (16 bytes, stored as a uuid) of what makes a play the same play wherever it appears: listener, source,
    end time in ms, ms played and the item's names; for sources with second precision also the
    video flag, the item URI and the start/end reasons. Offline timestamps and platforms are left
    out on purpose: they differ between downloads of the same history."""

    def first(*names: str) -> pa.Array:
        return pc.coalesce(*(table[n] for n in names), pa.scalar(""))

    parts = [
        listener if not isinstance(listener, str) else pa.scalar(listener),
        pa.scalar(source),
        pc.cast(pc.cast(table["ended_at"], pa.int64()), pa.string()),
        pc.cast(table["ms_played"], pa.string()),
        first("artist_name", "show_name", "audiobook_title"),
        first("track_name", "episode_name", "chapter_title"),
    ]
    if source != "account":
        parts += [
            pc.cast(table["is_video"], pa.string()),
            first("track_uri", "episode_uri", "chapter_uri", "audiobook_uri"),
            first("reason_start"),
            first("reason_end"),
        ]
    identity = pc.binary_join_element_wise(*parts, "\x1f").cast(pa.binary())
    digests = b"".join([md5(v).digest() for v in identity.to_pylist()])
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(16), len(identity), [None, pa.py_buffer(digests)])


def merge_plays(
    conn: psycopg.Connection,
    staged: Staged,
    *,
    listener: str,
    source: str,
    kind: str,
    file_id: int,
) -> MergeCounts:
    """Merge one file's plays; account data defers to extended history and vice versa."""
    # Merges of one listener's plays take turns: each must see the other's committed keys, and
    # account data and extended history must see each other to recognise overlaps. Feed files hold
    # thousands of listeners each, so all feed loads share one lock instead.
    lock = "plays:feed" if source == "feed" else f"plays:{listener}"
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (lock,))
    if source in DIRECT_SOURCES:
        counts = _load_direct(conn, staged, listener=listener, feed=source == "feed", file_id=file_id)
    else:
        counts = _merge_staged_account(conn, staged, listener=listener, file_id=file_id)
    if kind == "account_mixed" or (staged.has_shows and _has_mixed_history(conn, listener)):
        _reclassify_account_podcasts(conn, listener)
    return counts


def _load_direct(conn: psycopg.Connection, staged: Staged, *, listener: str, feed: bool, file_id: int) -> MergeCounts:
    table = staged.table
    if not table.num_rows:
        return MergeCounts(duplicate=staged.rows)
    listeners = pc.unique(table["listener"]).to_pylist() if feed else [listener]
    span = {
        "listener": listener,
        "listeners": listeners,
        "first": staged.first,
        "last": staged.last,
        "file_id": file_id,
    }
    existing = [key for (key,) in conn.execute(query("curated/play_keys_in_range"), span)]
    if existing:
        table = table.filter(pc.invert(pc.is_in(table["play_key"], value_set=pa.array(existing, pa.binary(16)))))
    # source_file stays in the table for the Parquet files; Postgres has it as ingest.files.name.
    copy_arrow(conn, "curated.play_rows", table.drop_columns(["source_file"]))
    counts = MergeCounts(loaded=table.num_rows, duplicate=staged.rows - table.num_rows, inserted=table)
    if counts.loaded and not feed:  # feed plays have their own curated files, and no account data
        counts.fresh = _mark_dirty(conn, "plays", listener, _months(table["ended_at"]))
        if conn.execute(query("curated/has_account_rows_in_range"), span).fetchone()[0]:
            counts.replaced = _changed_months(conn, "curated/replace_account_overlap", span, listener)
    return counts


def _merge_staged_account(conn, staged: Staged, *, listener, file_id) -> MergeCounts:
    params = {"listener": listener, "file_id": file_id}
    conn.execute(query("curated/stage_plays"))
    copy_arrow(conn, "stage_plays", staged.table)
    overlap = conn.execute(query("curated/mark_account_overlap"), params).rowcount
    loaded = _changed_months(conn, "curated/merge_account_plays", params, listener)
    return MergeCounts(loaded=loaded, overlap=overlap, duplicate=staged.rows - loaded - overlap)


def _has_mixed_history(conn: psycopg.Connection, listener: str) -> bool:
    return conn.execute(query("ingest/has_mixed_history"), {"listener": listener}).fetchone()[0]


def _reclassify_account_podcasts(conn: psycopg.Connection, listener: str) -> None:
    _changed_months(conn, "curated/reclassify_account_podcasts", {"listener": listener}, listener)


def _changed_months(conn: psycopg.Connection, statement: str, params: dict, listener: str) -> int:
    """Run a statement that changes plays and returns (year, month, rows); mark those partitions
    dirty and return how many rows changed."""
    rows = conn.execute(query(statement), params).fetchall()
    _mark_dirty(conn, "plays", listener, [(year, month) for year, month, _ in rows])
    return sum(count for _, _, count in rows)


def _months(ended_at: pa.ChunkedArray) -> list[tuple[int, int]]:
    """The UTC (year, month) partitions some end times fall in."""
    months = pc.unique(pc.add(pc.multiply(pc.year(ended_at), 100), pc.month(ended_at))).to_pylist()
    return [(m // 100, m % 100) for m in months]


def _mark_dirty(
    conn: psycopg.Connection, dataset: str, listener: str, months: list[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """Queue curated partitions (UTC year, month; 0, 0 for unpartitioned datasets) for a rewrite;
    returns the ones that were in sync until now, with their new generation."""
    if not months:
        return []
    rows = conn.execute(
        query("ingest/mark_dirty"),
        {"dataset": dataset, "listener": listener, "years": [y for y, _ in months], "months": [m for _, m in months]},
    ).fetchall()
    return [(year, month, generation) for year, month, generation, fresh in rows if fresh]


def merge_items(conn: psycopg.Connection, staged: Staged, *, listener: str, file_id: int) -> MergeCounts:
    """Merge library, playlist or search rows for one listener."""
    dataset = staged.dataset
    conn.execute(query(f"curated/stage_{dataset}"))
    copy_arrow(conn, f"stage_{dataset}", staged.table)
    loaded = conn.execute(query(f"curated/merge_{dataset}"), {"listener": listener, "file_id": file_id}).fetchone()[0]
    if loaded and dataset in DATASETS:  # the feed's dimension tables have no curated files
        _mark_dirty(conn, dataset, listener, [(0, 0)])
    if staged.has_shows and loaded and _has_mixed_history(conn, listener):
        _reclassify_account_podcasts(conn, listener)
    return MergeCounts(loaded=loaded, duplicate=staged.rows - loaded)
