"""The one shape of a play that every reader produces, before keys and per-file columns are added."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

PLAY_COLUMNS: dict[str, pa.DataType] = {
    "ended_at": pa.timestamp("ms", tz="UTC"),
    "ms_played": pa.int64(),
    "minute_precision": pa.bool_(),
    "media": pa.string(),
    "is_video": pa.bool_(),
    "track_name": pa.string(),
    "artist_name": pa.string(),
    "album_name": pa.string(),
    "track_uri": pa.string(),
    "episode_name": pa.string(),
    "show_name": pa.string(),
    "episode_uri": pa.string(),
    "audiobook_title": pa.string(),
    "audiobook_uri": pa.string(),
    "chapter_title": pa.string(),
    "chapter_uri": pa.string(),
    "reason_start": pa.string(),
    "reason_end": pa.string(),
    "shuffle": pa.bool_(),
    "skipped": pa.bool_(),
    "offline": pa.bool_(),
    "incognito_mode": pa.bool_(),
    "platform": pa.string(),
    "conn_country": pa.string(),
}


def empty_plays() -> pa.Table:
    return pa.table({k: pa.array([], t) for k, t in PLAY_COLUMNS.items()})


def without_nul(table: pa.Table) -> pa.Table:
    """The table with NUL characters removed from its text: Postgres text cannot hold them, and
    one would fail the whole file's load. A quick scan of the raw string bytes finds none in
    almost every table, and then nothing is copied."""
    for index, column in enumerate(table.columns):
        if pa.types.is_string(column.type) and any(_has_nul(chunk) for chunk in column.chunks):
            table = table.set_column(index, table.field(index), pc.replace_substring(column, "\x00", ""))
    return table


def _has_nul(strings: pa.StringArray) -> bool:
    data = strings.buffers()[2]
    # In UTF-8 a zero byte is only ever U+0000 (bytes outside this slice can only add a false alarm).
    return data is not None and len(data) > 0 and np.frombuffer(data, np.uint8).min() == 0
