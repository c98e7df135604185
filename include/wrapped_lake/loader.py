"""Load parsed rows into Postgres: COPY into a staging table, then a set-based merge in SQL."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg import sql

from wrapped_lake.db import SQL_DIR


@cache
def query(name: str) -> str:
    """The text of sql/<layer>/<name>.sql, e.g. query("curated/merge_plays")."""
    return (SQL_DIR / f"{name}.sql").read_text()


@dataclass
class MergeCounts:
    """What a merge did with the staged rows."""

    loaded: int = 0
    duplicate: int = 0
    overlap: int = 0
    replaced: int = 0


def copy_table(conn: psycopg.Connection, target: str, table: pa.Table) -> None:
    """COPY an Arrow table into `target` (columns by name) through pyarrow's CSV writer."""
    if table.num_rows == 0:
        return
    table = pa.table({name: _copyable(table[name]) for name in table.column_names})
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(target), sql.SQL(", ").join(map(sql.Identifier, table.column_names))
    )
    with conn.cursor().copy(statement) as copy:
        copy.write(buffer.getbuffer())


def _copyable(column: pa.ChunkedArray) -> pa.ChunkedArray | pa.Array:
    """CSV has no lists: write list<string> as a Postgres array literal."""
    if not pa.types.is_list(column.type):
        return column
    return pa.array([None if v is None else _array_literal(v) for v in column.to_pylist()], pa.string())


def _array_literal(values: list[str]) -> str:
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


def merge_plays(
    conn: psycopg.Connection,
    table: pa.Table,
    *,
    listener: str,
    source: str,
    package: str | None,
    source_file: str,
    file_id: int,
) -> MergeCounts:
    """Merge one file's plays; account data defers to extended history and vice versa."""
    params = {
        "listener": listener,
        "source": source,
        "package": package,
        "source_file": source_file,
        "file_id": file_id,
    }
    conn.execute(query("curated/stage_plays"))
    copy_table(conn, "stage_plays", table)
    counts = MergeCounts()
    if source == "account":
        counts.overlap = conn.execute(query("curated/mark_account_overlap"), params).rowcount
    elif source == "extended":
        counts.replaced = conn.execute(query("curated/replace_account_overlap"), params).fetchone()[0]
    counts.loaded = conn.execute(query("curated/merge_plays"), params).fetchone()[0]
    counts.duplicate = table.num_rows - counts.loaded - counts.overlap
    if source == "account" or counts.loaded:
        conn.execute(query("curated/reclassify_account_podcasts"), params)
    return counts


def merge_items(conn: psycopg.Connection, dataset: str, table: pa.Table, *, listener: str, file_id: int) -> MergeCounts:
    """Merge library, playlist or search rows for one listener."""
    conn.execute(query(f"curated/stage_{dataset}"))
    copy_table(conn, f"stage_{dataset}", table)
    loaded = conn.execute(query(f"curated/merge_{dataset}"), {"listener": listener, "file_id": file_id}).fetchone()[0]
    if dataset == "library_items" and loaded:
        conn.execute(query("curated/reclassify_account_podcasts"), {"listener": listener})
    return MergeCounts(loaded=loaded, duplicate=table.num_rows - loaded)
