"""The one shape of a play that every reader produces, before keys and per-file columns are added."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

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


# Plays that cannot be true are rejected with these reasons (README: "Plays the lake refuses").
# Spotify launched in 2006; an export cannot hold a play ending after it was made (a day of slack
# for clocks); one play cannot last longer than a day, so a day never holds more than a day of one play.
EARLIEST_PLAY = datetime(2006, 1, 1, tzinfo=UTC)
MAX_PLAY_MS = 24 * 3600 * 1000
BEFORE_SPOTIFY = "dated before 2006 (before Spotify existed)"
IN_THE_FUTURE = "dated more than a day after it was read (a clock or a date that cannot be true)"
LONGER_THAN_A_DAY = "ms_played over a day (24 h): no single play lasts that long"


def latest_plausible_end() -> datetime:
    """The latest end time an export's play can have when it is read now."""
    return datetime.now(UTC) + timedelta(days=1)


def keep_plausible(table: pa.Table, rejected: Counter, latest: datetime, problems=()) -> pa.Table:
    """The plays that can be true. A row is dropped for the first of the reader's own `problems`
    ((reason, mask) pairs) or of the lake's rules that it meets, and counted once, under that reason."""
    ended, ms = table["ended_at"], table["ms_played"]
    checks = (
        *problems,
        ("missing timestamp or ms_played", pc.or_(pc.is_null(ended), pc.is_null(ms))),
        (BEFORE_SPOTIFY, pc.less(ended, pa.scalar(EARLIEST_PLAY, ended.type))),
        (IN_THE_FUTURE, pc.greater(ended, pa.scalar(latest, ended.type))),
        (LONGER_THAN_A_DAY, pc.greater(ms, MAX_PLAY_MS)),
    )
    keep = count_problems(checks, table.num_rows, rejected)
    return table if keep.all() else table.filter(pa.array(keep))


def count_problems(problems, rows: int, rejected: Counter) -> np.ndarray:
    """The rows without problems; each bad row counted once, under the first of `problems`
    ((reason, mask) pairs) that it meets."""
    bad = np.zeros(rows, dtype=bool)
    for reason, mask in problems:
        hit = pc.fill_null(mask, False).to_numpy(zero_copy_only=False) & ~bad
        if hit.any():
            rejected[reason] += int(hit.sum())
            bad |= hit
    return ~bad


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
