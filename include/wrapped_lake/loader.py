"""Load parsed rows into Postgres: COPY into a staging table, then a set-based merge in SQL."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache

import psycopg
import pyarrow as pa
import pyarrow.compute as pc
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


@dataclass
class Staged:
    """Rows ready to COPY: CSV bytes in `columns` order. Made away from the connection, so a worker
    process can prepare the next file while Postgres merges this one."""

    dataset: str
    columns: list[str]
    csv: bytes
    rows: int


def stage(dataset: str, table: pa.Table, *, listener: str, source: str | None = None) -> Staged:
    """Serialise a parsed table for COPY; plays get their play_key here."""
    if dataset == "plays":
        table = table.append_column("play_key", play_keys(table, listener, source))
    table = pa.table({name: _copyable(table[name]) for name in table.column_names})
    buffer = io.BytesIO()
    if table.num_rows:
        pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return Staged(dataset, table.column_names, buffer.getvalue(), table.num_rows)


def play_keys(table: pa.Table, listener: str, source: str) -> pa.Array:
    """MD5 (as uuid hex) of what makes a play the same play wherever it appears: listener, source,
    end time in ms, ms played and the item's names; for sources with second precision also the
    video flag, the item URI and the start/end reasons. Offline timestamps and platforms are left
    out on purpose: they differ between downloads of the same history."""

    def first(*names: str) -> pa.Array:
        return pc.coalesce(*(table[n] for n in names), pa.scalar(""))

    parts = [
        pa.scalar(listener),
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
    return pa.array([hashlib.md5(v).hexdigest() for v in identity.to_pylist()], pa.string())


def copy_staged(conn: psycopg.Connection, target: str, staged: Staged) -> None:
    """COPY staged CSV into `target` (a staging table)."""
    if not staged.rows:
        return
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(target), sql.SQL(", ").join(map(sql.Identifier, staged.columns))
    )
    with conn.cursor().copy(statement) as copy:
        copy.write(staged.csv)


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
    staged: Staged,
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
    # Merges of one listener's plays take turns: account data and extended history must each see
    # the other's committed rows to recognise overlaps.
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"plays:{listener}",))
    conn.execute(query("curated/stage_plays"))
    copy_staged(conn, "stage_plays", staged)
    counts = MergeCounts()
    if source == "account":
        counts.overlap = conn.execute(query("curated/mark_account_overlap"), params).rowcount
    elif source == "extended":
        counts.replaced = conn.execute(query("curated/replace_account_overlap"), params).fetchone()[0]
    counts.loaded = conn.execute(query("curated/merge_plays"), params).fetchone()[0]
    counts.duplicate = staged.rows - counts.loaded - counts.overlap
    if source == "account" or counts.loaded:
        conn.execute(query("curated/reclassify_account_podcasts"), params)
    return counts


def merge_items(conn: psycopg.Connection, staged: Staged, *, listener: str, file_id: int) -> MergeCounts:
    """Merge library, playlist or search rows for one listener."""
    dataset = staged.dataset
    conn.execute(query(f"curated/stage_{dataset}"))
    copy_staged(conn, f"stage_{dataset}", staged)
    loaded = conn.execute(query(f"curated/merge_{dataset}"), {"listener": listener, "file_id": file_id}).fetchone()[0]
    if dataset == "library_items" and loaded:
        conn.execute(query("curated/reclassify_account_podcasts"), {"listener": listener})
    return MergeCounts(loaded=loaded, duplicate=staged.rows - loaded)
