"""Hand-made rows for the model tests: a loaded file with its plays, a fact row, a month of totals."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from psycopg import sql


def add_file(conn, listener: str, *, kind: str = "extended_audio", status: str = "loaded") -> int:
    """Register a file in ingest.files; returns its id."""
    return conn.execute(
        "INSERT INTO ingest.files (listener, sha256, name, size_bytes, kind, status, raw_path, started_at)"
        " VALUES (%s, %s, %s, 0, %s, %s, '', now()) RETURNING file_id",
        (listener, uuid.uuid4().hex, f"{kind}.json", kind, status),
    ).fetchone()[0]


def add_plays(conn, listener: str, plays: list[dict], *, source: str = "extended", kind: str = "extended_audio") -> int:
    """A loaded file and its plays in curated.play_rows: each play gives ended_at and ms, and any
    other column of play_rows (media defaults to music); returns the file id."""
    file_id = add_file(conn, listener, kind=kind)
    for play in plays:
        columns = {"media": "music", "listener": listener} | play
        ended, ms = columns.pop("ended_at"), columns.pop("ms")
        columns |= {"play_key": uuid.uuid4(), "source": source, "file_id": file_id, "ended_at": ended,
                    "started_at": ended - timedelta(milliseconds=ms), "ms_played": ms}  # fmt: skip
        insert(conn, "curated.play_rows", columns)
    return file_id


def fact(conn, listener: str, day: date, *, artist: str | None = "Artist", track: str = "Track", **columns) -> None:
    """One row of marts.hourly_plays: one music stream of a minute at noon UTC on `day` unless
    `columns` say otherwise (ms sets both ms_played and ms_counted)."""
    ms = columns.pop("ms", 60000)
    row = {
        "listener": listener, "utc_hour": datetime.fromisoformat(f"{day}T12:00+00:00"), "local_date": day,
        "local_hour": 12, "media": "music", "item_key": f"names:{artist}\t{track}", "track_name": track,
        "artist_name": artist, "album_name": None, "plays": 1, "counted_plays": 1, "ms_played": ms,
        "ms_counted": ms, "skips": 0, "skip_known": 0, "first_ended_at": None, "build_id": 0,
    } | columns  # fmt: skip
    row["first_ended_at"] = row["first_ended_at"] or row["utc_hour"]
    insert(conn, "marts.hourly_plays", row)


def month(conn, listener: str, first_day: date, *, music_ms: int = 60000, **columns) -> None:
    """One row of marts.listener_months: one music stream of `music_ms` unless `columns` say otherwise."""
    row = {"listener": listener, "month": first_day, "music_plays": 1, "streams": 1, "music_ms": music_ms,
           "podcast_plays": 0, "podcast_ms": 0} | columns  # fmt: skip
    insert(conn, "marts.listener_months", row)


def insert(conn, table: str, row: dict) -> None:
    conn.execute(
        sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(*table.split(".")),
            sql.SQL(", ").join(map(sql.Identifier, row)),
            sql.SQL(", ").join(map(sql.Placeholder, row)),
        ),
        row,
    )
