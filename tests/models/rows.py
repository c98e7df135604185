"""Hand-made rows for the model tests: a loaded file with its plays, a fact row, a month of totals,
and the rows the build keeps for the service's views (a track's streams, an account's day, a score)."""

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


def feed_song(
    conn,
    listener: str,
    day: date,
    track: str,
    *,
    artist: str = "Band",
    streams: int = 1,
    plays: int = 0,
    ms: int | None = None,
) -> None:
    """A feed user's streams of one track on `day` (and `plays` more under 30 s), in every table the
    build keeps them in: the fact (a row at noon UTC), the weekly streams and the track totals of
    the whole feed, the account's tracks and its day's artists."""
    ms = streams * 60000 if ms is None else ms
    uri = f"spotify:track:{track}"
    fact(conn, listener, day, artist=artist, track=track, item_key=uri, plays=streams + plays, counted_plays=streams,
         ms=ms)  # fmt: skip
    conn.execute(
        "INSERT INTO marts.weekly_track_streams VALUES (date_trunc('week', %(day)s::date), %(uri)s, %(streams)s)"
        " ON CONFLICT (week_start, item_key) DO UPDATE SET streams = weekly_track_streams.streams + excluded.streams",
        {"day": day, "uri": uri, "streams": streams},
    )
    new_listener = not conn.execute(
        "SELECT FROM marts.account_tracks WHERE listener = %s AND track_uri = %s", (listener, uri)
    ).fetchone()
    conn.execute(
        "INSERT INTO marts.account_tracks VALUES (%(listener)s, %(uri)s, %(plays)s, %(streams)s, %(artist)s,"
        " %(track)s) ON CONFLICT (listener, track_uri) DO UPDATE SET plays = account_tracks.plays + excluded.plays,"
        " streams = account_tracks.streams + excluded.streams",
        {"listener": listener, "uri": uri, "plays": streams + plays, "streams": streams, "artist": artist,
         "track": track},
    )  # fmt: skip
    conn.execute(
        "INSERT INTO marts.track_totals VALUES (%(uri)s, %(artist)s, %(track)s, %(streams)s, 1)"
        " ON CONFLICT (track_uri) DO UPDATE SET streams = track_totals.streams + excluded.streams,"
        " listeners = track_totals.listeners + %(new_listener)s",
        {"uri": uri, "artist": artist, "track": track, "streams": streams, "new_listener": int(new_listener)},
    )
    insert(conn, "marts.listener_day_artists", {"listener": listener, "local_date": day, "artist_name": artist,
                                                "streams": streams, "ms_played": ms})  # fmt: skip


def account_day(
    conn, listener: str, day: date, *, ms: int = 60000, sessions: int = 1, first: str = "12:00", last: str = "12:01",
    gap_in_ms: int | None = None,
) -> None:  # fmt: skip
    """One row of marts.account_days: a feed account's day of music, its first play starting at
    `first` and its last ending at `last` (UTC), with `sessions` started in it and the pause before
    it since the account's previous day (None: its first)."""
    row = {
        "listener": listener, "utc_day": day, "plays": 1, "tracked_plays": 1, "tracks": 1, "countries": 1,
        "ms_played": ms, "thirty_plays": 0, "overlapping_plays": 0, "gaps": 0, "gap_sum": 0, "gap_sum_squares": 0,
        "longest_gap_ms": None, "first_started_at": datetime.fromisoformat(f"{day}T{first}+00:00"),
        "last_ended_at": datetime.fromisoformat(f"{day}T{last}+00:00"), "sessions": sessions,
        "gap_in_ms": gap_in_ms,
    }  # fmt: skip
    insert(conn, "marts.account_days", row)


def flagged(conn, listener: str) -> None:
    """marts.anomaly_scores flags `listener` as a stream farm (as a build that scored it would)."""
    insert(conn, "marts.anomaly_scores", {
        "listener": listener, "plays": 30, "score": 1.0, "flagged": True, "reasons": ["overlapping plays"],
        "overlap": 1.0, "countries": 0.0, "sleepless": 0.0, "thirty": 0.0, "regular": 0.0, "few_tracks": 0.0,
        "shared": 0.0,
    })  # fmt: skip


def insert(conn, table: str, row: dict) -> None:
    conn.execute(
        sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(*table.split(".")),
            sql.SQL(", ").join(map(sql.Identifier, row)),
            sql.SQL(", ").join(map(sql.Placeholder, row)),
        ),
        row,
    )
