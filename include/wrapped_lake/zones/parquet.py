"""The curated Parquet zone: Hive-partitioned files with the same rows as the curated Postgres tables.

A loaded file's new plays are written as one more Parquet file in each month partition they touch
(`part-<file_id>.parquet`), straight from memory. Anything else that changes a partition (account
data, replaced or reclassified rows, a crash between commit and write) leaves it marked dirty in
ingest.dirty_partitions, and `publish` rewrites it from Postgres as a single `part-0.parquet`.
"""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import orjson
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from wrapped_lake.platform import db
from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.db import query
from wrapped_lake.platform.files import fsync_dir, write_atomic
from wrapped_lake.readers.plays import PLAY_COLUMNS
from wrapped_lake.zones.quarantine import safe_name

# Publishers of different processes must not interleave their rewrites of one partition.
PUBLISH_LOCK_ID = 0x70756273  # "pubs"

TS = pa.timestamp("ms", tz="UTC")


@dataclass(frozen=True)
class Dataset:
    """A curated table and how its Parquet copy is typed and partitioned."""

    name: str
    types: dict[str, pa.DataType]
    timestamps: tuple[str, ...] = ()
    by_month: bool = False


DATASETS = {
    d.name: d
    for d in (
        Dataset(
            "plays",
            {
                "ended_at": pa.int64(),
                "started_at": pa.int64(),
                "ms_played": pa.int64(),
                "is_video": pa.bool_(),
                "minute_precision": pa.bool_(),
                "shuffle": pa.bool_(),
                "skipped": pa.bool_(),
                "offline": pa.bool_(),
                "incognito_mode": pa.bool_(),
                "file_id": pa.int64(),
            },
            timestamps=("ended_at", "started_at"),
            by_month=True,
        ),
        Dataset("library_items", {"file_id": pa.int64()}),
        Dataset(
            "playlist_items",
            {
                "last_modified": pa.date32(),
                "added_date": pa.date32(),
                "followers": pa.int32(),
                "position": pa.int32(),
                "file_id": pa.int64(),
            },
        ),
        Dataset("search_queries", {"searched_at": pa.int64(), "file_id": pa.int64()}, timestamps=("searched_at",)),
    )
}


# Column order and types of the plays Parquet files, whichever way they are written.
PLAYS_SCHEMA = pa.schema(
    [
        ("play_key", pa.string()),
        ("source", pa.string()),
        ("media", pa.string()),
        ("is_video", pa.bool_()),
        ("ended_at", TS),
        ("started_at", TS),
    ]
    + [(name, t) for name, t in PLAY_COLUMNS.items() if name not in ("ended_at", "media", "is_video")]
    + [("source_file", pa.string()), ("file_id", pa.int64())]
)

FEED_PLAYS_SCHEMA = PLAYS_SCHEMA.append(pa.field("listener", pa.string()))
PLAYS_DICTIONARY_COLUMNS = ("source", "media", "platform", "conn_country", "reason_start", "reason_end", "source_file")
PLAYS_STATISTICS_COLUMNS = ("ended_at", "started_at", "ms_played")


def partition_dir(root: Path, dataset: str, listener: str, year: int, month: int) -> Path:
    path = root / dataset / f"listener={safe_name(listener)}"
    if DATASETS[dataset].by_month:
        path = path / f"year={year}" / f"month={month:02d}"
    return path


def months_of(ended_at: pa.ChunkedArray) -> list[tuple[int, int]]:
    """The UTC (year, month) partitions some end times fall in."""
    months = pc.unique(pc.add(pc.multiply(pc.year(ended_at), 100), pc.month(ended_at))).to_pylist()
    return [(m // 100, m % 100) for m in months]


def mark_dirty(
    conn: psycopg.Connection, dataset: str, listener: str, months: list[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """Queue partitions whose rows changed in the current transaction (UTC year, month; 0, 0 for
    unpartitioned datasets) for a rewrite; returns those that were in sync until now, with their
    new generation, to which the new rows may be appended instead. Datasets without curated files
    (the feed's users, tracks and interactions) are ignored."""
    if not months or dataset not in DATASETS:
        return []
    rows = conn.execute(
        query("ingest/mark_dirty"),
        {"dataset": dataset, "listener": listener, "years": [y for y, _ in months], "months": [m for _, m in months]},
    ).fetchall()
    return [(year, month, generation) for year, month, generation, fresh in rows if fresh]


class FragmentWriter:
    """Writes committed plays into the zone on a second thread and connection, so the next file's
    COPY does not wait for Parquet encoding. Leaving the `with` block waits for all writes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.conn: psycopg.Connection | None = None
        self.pool: ThreadPoolExecutor | None = None
        self.pending: list = []

    def submit(self, listener: str, file_id: int, table: pa.Table | None, fresh: list[tuple[int, int, int]]) -> None:
        """Append `table`'s rows to the `fresh` partitions (see mark_dirty) once this file commits."""
        if not fresh:
            return
        if self.pool is None:
            self.conn = db.connect(self.settings, migrate=False)
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fragments")
        self.pending.append(
            self.pool.submit(append_fragments, self.conn, self.settings.curated, listener, file_id, table, fresh)
        )

    def __enter__(self) -> FragmentWriter:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.conn.close()
        for future in self.pending:
            future.result()  # a failed write leaves its partitions dirty for publish; still say so


def append_fragments(
    conn: psycopg.Connection,
    curated_root: Path,
    listener: str,
    file_id: int,
    table: pa.Table,
    fresh: list[tuple[int, int, int]],
) -> None:
    """After a load commits: write its new plays as one more file per month partition, for the
    partitions that were in sync before it (`fresh`: year, month, generation), and mark those in
    sync again unless someone changed them meanwhile."""
    if not fresh:
        return
    parts = _split_by_month(_parquet_typed(_time_ordered(table), PLAYS_SCHEMA))
    with conn.transaction():
        # A publish running now could rebuild these partitions and drop fragments it did not
        # see; taking its lock keeps the two from interleaving.
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUBLISH_LOCK_ID,))
        for year, month, generation in fresh:
            cleared = conn.execute(
                query("ingest/clear_dirty_partition"),
                {"dataset": "plays", "listener": listener, "year": year, "month": month, "generation": generation},
            ).fetchone()
            # Not cleared: a publish already rebuilt the partition with these rows, or a later
            # change made it dirty again and the next publish will.
            part = parts.get((year, month))
            if cleared and part is not None:
                directory = partition_dir(curated_root, "plays", listener, year, month)
                write_atomic(directory / f"part-{file_id}.parquet", _parquet_bytes(part))


def publish(conn: psycopg.Connection, curated_root: Path) -> int:
    """Rewrite every dirty partition from Postgres; returns how many partitions were written."""
    written = 0
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUBLISH_LOCK_ID,))
        dirty = conn.execute(query("ingest/dirty_partitions")).fetchall()
        groups: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
        for dataset, listener, year, month, generation in dirty:
            groups.setdefault((dataset, listener), []).append((year, month, generation))
        for (dataset, listener), partitions in groups.items():
            # One query per listener and dataset, split into partitions here: a per-partition
            # round trip costs more than the rows for a typical month.
            parts = _split_by_month(read_partitions(conn, dataset, listener, [(y, m) for y, m, _ in partitions]))
            for year, month, generation in partitions:
                directory = partition_dir(curated_root, dataset, listener, year, month)
                table = parts.get((year, month))
                if table is not None and table.num_rows:
                    write_atomic(directory / "part-0.parquet", _parquet_bytes(table))
                _remove_fragments(directory, keep="part-0.parquet" if table is not None and table.num_rows else None)
                conn.execute(
                    query("ingest/clear_dirty_partition"),
                    {"dataset": dataset, "listener": listener, "year": year, "month": month, "generation": generation},
                )
                written += 1
    return written


def write_feed_plays(curated_root: Path, digest: str, table: pa.Table) -> None:
    """A feed file's plays as Parquet by UTC date (thousands of simulated listeners would make
    per-listener partitions tiny). Named by the file's content hash, so a rerun rewrites the same
    files instead of adding copies."""
    table = table.sort_by([("ended_at", "ascending"), ("play_key", "ascending")])
    days = pc.strftime(table["ended_at"], format="%Y-%m-%d").to_numpy(zero_copy_only=False)
    start = 0
    for end in [*(np.flatnonzero(days[1:] != days[:-1]) + 1).tolist(), len(days)]:
        if end > start:
            part = _parquet_typed(table.slice(start, end - start), FEED_PLAYS_SCHEMA)
            directory = curated_root / "feed_plays" / f"date={days[start]}"
            write_atomic(directory / f"part-{digest[:16]}.parquet", _parquet_bytes(part))
        start = end


def _parquet_typed(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Loaded plays as their Parquet files type them: play keys as 32 hex digits, as Postgres
    exports them (export_plays.sql), not the 16 bytes the loader sends."""
    keys = table["play_key"]
    if pa.types.is_fixed_size_binary(keys.type):
        table = table.set_column(table.schema.get_field_index("play_key"), "play_key", hex_keys(keys))
    return table.select(schema.names).cast(schema)


_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", np.uint8)


def hex_keys(keys: pa.ChunkedArray | pa.Array) -> pa.Array:
    """16-byte keys as lowercase hex strings, vectorised (a Python loop costs ~0.3 s per million)."""
    array = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
    start = 16 * array.offset  # a slice shares its parent's buffer
    raw = np.frombuffer(array.buffers()[1], np.uint8)[start : start + 16 * len(array)].reshape(-1, 16)
    digits = np.empty((len(array), 32), np.uint8)
    digits[:, 0::2] = _HEX_DIGITS[raw >> 4]
    digits[:, 1::2] = _HEX_DIGITS[raw & 15]
    offsets = np.arange(0, 32 * len(array) + 1, 32, dtype=np.int32)
    return pa.StringArray.from_buffers(len(array), pa.py_buffer(offsets), pa.py_buffer(digits.tobytes()))


def _time_ordered(table: pa.Table) -> pa.Table:
    """Sorted by end time (exports usually are already: then the sort is skipped)."""
    ends = pc.cast(table["ended_at"], pa.int64()).to_numpy()
    if len(ends) < 2 or (ends[1:] >= ends[:-1]).all():
        return table
    return table.sort_by([("ended_at", "ascending"), ("play_key", "ascending")])


def _remove_fragments(directory: Path, keep: str | None) -> None:
    """Drop the Parquet files a rewrite replaced (appended fragments, or all when now empty)."""
    removed = False
    for path in directory.glob("part-*.parquet"):
        if path.name != keep:
            path.unlink(missing_ok=True)
            removed = True
    if removed:
        fsync_dir(directory)


def _split_by_month(table: pa.Table) -> dict[tuple[int, int], pa.Table]:
    """Slices of a table sorted by ended_at, keyed by UTC (year, month); unpartitioned: (0, 0)."""
    if "ended_at" not in table.column_names:
        return {(0, 0): table}
    months = pc.add(pc.multiply(pc.year(table["ended_at"]), 100), pc.month(table["ended_at"])).to_numpy()
    parts, start = {}, 0
    for end in [*(np.flatnonzero(np.diff(months)) + 1).tolist(), len(months)]:
        if end > start:
            month = int(months[start])
            parts[(month // 100, month % 100)] = table.slice(start, end - start)
        start = end
    return parts


def read_partitions(conn: psycopg.Connection, dataset: str, listener: str, months: list[tuple[int, int]]) -> pa.Table:
    """Some (year, month) partitions of one listener's curated table, sorted by time, typed."""
    spec = DATASETS[dataset]
    starts = [datetime(y, m, 1, tzinfo=UTC) for y, m in months if y]
    buffer = io.BytesIO()
    params = {
        "listener": listener,
        "months": starts,
        "first": min(starts, default=None),
        "last": max(starts, default=None),
    }
    with conn.cursor().copy(query(f"curated/export_{dataset}"), params) as copy:
        for block in copy:
            buffer.write(block)
    header = next(csv.reader([buffer.getvalue().split(b"\n", 1)[0].decode()]))
    buffer.seek(0)
    table = pacsv.read_csv(
        buffer,
        convert_options=pacsv.ConvertOptions(
            # Every column typed explicitly: inference would turn a track named "1999" into a number.
            column_types={name: spec.types.get(name, pa.string()) for name in header},
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            true_values=["t"],
            false_values=["f"],
        ),
        read_options=pacsv.ReadOptions(block_size=1 << 24),
    )
    for column in spec.timestamps:
        index = table.schema.get_field_index(column)
        table = table.set_column(index, column, table[column].cast(TS))
    if dataset == "plays":
        table = table.cast(PLAYS_SCHEMA)
    if "interaction_uris" in table.column_names:
        uris = [None if v is None else orjson.loads(v) for v in table["interaction_uris"].to_pylist()]
        index = table.schema.get_field_index("interaction_uris")
        table = table.set_column(index, "interaction_uris", pa.array(uris, pa.list_(pa.string())))
    return table


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    if "play_key" in table.column_names:
        # Measured on plays: dictionaries only where values repeat, statistics only where readers
        # prune (time and duration) make files ~15% smaller and writing ~40% cheaper.
        pq.write_table(
            table,
            sink,
            compression="zstd",
            use_dictionary=list(PLAYS_DICTIONARY_COLUMNS),
            write_statistics=list(PLAYS_STATISTICS_COLUMNS),
        )
    else:
        pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()
