"""Hand-made plays straight into curated storage, registered like a loaded file (marts and reports tests)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

PLAY_FIELDS = (
    "track_name", "artist_name", "album_name", "track_uri", "show_name", "episode_name",
    "skipped", "reason_end", "incognito_mode",
)  # fmt: skip


def add_file(conn, listener: str, plays: list[dict], *, source: str = "extended", kind: str = "extended_audio") -> int:
    """Register a loaded file and its plays (dicts with ended_at, ms and PLAY_FIELDS) as the loader
    leaves them; returns the file id."""
    file_id = conn.execute(
        "INSERT INTO ingest.files (listener, sha256, name, size_bytes, kind, status, raw_path, started_at)"
        " VALUES (%s, %s, %s, 0, %s, 'loaded', '', now()) RETURNING file_id",
        (listener, uuid.uuid4().hex, f"{kind}.json", kind),
    ).fetchone()[0]
    for play in plays:
        ended: datetime = play["ended_at"]
        media = play.get("media") or ("podcast" if play.get("show_name") else "music")
        conn.execute(
            "INSERT INTO curated.play_rows (play_key, listener, source, media, ended_at, started_at, ms_played,"
            " file_id, " + ", ".join(PLAY_FIELDS) + ") VALUES (%s, %s, %s, %s, %s, %s, %s, %s, "
            + ", ".join(["%s"] * len(PLAY_FIELDS)) + ")",
            (
                uuid.uuid4(), play.get("listener", listener), source, media, ended,
                ended - timedelta(milliseconds=play["ms"]), play["ms"], file_id,
                *(play.get(name) for name in PLAY_FIELDS),
            ),
        )  # fmt: skip
    if source == "feed":  # as the loader leaves a feed file: with each user's span
        conn.execute(
            "INSERT INTO ingest.file_spans SELECT file_id, listener, min(ended_at), max(ended_at)"
            " FROM curated.play_rows WHERE file_id = %s GROUP BY 1, 2",
            (file_id,),
        )
    return file_id


@pytest.fixture
def plays_file(conn):
    return lambda listener, plays, **kw: add_file(conn, listener, plays, **kw)
