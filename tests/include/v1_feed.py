"""Feed files written with the earlier `UserActivity` record (schema v1), for the tests that load them."""

from __future__ import annotations

import datetime as dt
import io
import json
from importlib import resources

import fastavro

START = dt.datetime(2026, 1, 5, 20, 0, tzinfo=dt.UTC)


def v1_event(**changes) -> dict:
    """One v1 PLAY of a three-minute song at START; `changes` override fields."""
    return {
        "userId": "legacy-user",
        "eventTime": START + dt.timedelta(minutes=3),
        "activityType": "PLAY",
        "song": "Old Song",
        "songId": "old1",
        "genre": "rock",
        "artist": "Old Band",
        "artistId": "a1",
        "playlistId": None,
        "duration": 180_000,
        "userLocation": "Germany",
        "startTime": START,
        "endTime": START + dt.timedelta(minutes=3),
        "deviceType": "MOBILE",
        "valence": 0.5,
        "tempo": 120.0,
        "acousticness": 0.1,
        "energy": 0.7,
        "danceability": 0.6,
    } | changes


def v1_file(records: list[dict]) -> bytes:
    schema = json.loads(resources.files("wrapped_lake").joinpath("schemas", "user_activity_v1.avsc").read_text())
    out = io.BytesIO()
    fastavro.writer(out, fastavro.parse_schema(schema), records)
    return out.getvalue()
