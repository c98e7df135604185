"""The curated zone: Hive-partitioned Parquet rewritten from Postgres for every changed partition."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import orjson
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from wrapped_lake.files import fsync_dir, write_atomic
from wrapped_lake.loader import query
from wrapped_lake.quarantine import safe_name

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


def partition_path(root: Path, dataset: str, listener: str, year: int, month: int) -> Path:
    path = root / dataset / f"listener={safe_name(listener)}"
    if DATASETS[dataset].by_month:
        path = path / f"year={year}" / f"month={month:02d}"
    return path / "part-0.parquet"


def publish(conn: psycopg.Connection, curated_root: Path) -> int:
    """Rewrite every dirty partition from Postgres; returns how many partitions were written."""
    written = 0
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUBLISH_LOCK_ID,))
        dirty = conn.execute(query("ingest/dirty_partitions")).fetchall()
        for dataset, listener, year, month, generation in dirty:
            table = read_partition(conn, dataset, listener, year, month)
            path = partition_path(curated_root, dataset, listener, year, month)
            if table.num_rows:
                write_atomic(path, _parquet_bytes(table))
            elif path.exists():
                path.unlink()
                fsync_dir(path.parent)
            conn.execute(
                query("ingest/clear_dirty_partition"),
                {"dataset": dataset, "listener": listener, "year": year, "month": month, "generation": generation},
            )
            written += 1
    return written


def read_partition(conn: psycopg.Connection, dataset: str, listener: str, year: int, month: int) -> pa.Table:
    """One partition of a curated table as a typed Arrow table."""
    spec = DATASETS[dataset]
    buffer = io.BytesIO()
    with conn.cursor().copy(
        query(f"curated/export_{dataset}"), {"listener": listener, "year": year, "month": month}
    ) as copy:
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
    if "interaction_uris" in table.column_names:
        uris = [None if v is None else orjson.loads(v) for v in table["interaction_uris"].to_pylist()]
        index = table.schema.get_field_index("interaction_uris")
        table = table.set_column(index, "interaction_uris", pa.array(uris, pa.list_(pa.string())))
    return table


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()
