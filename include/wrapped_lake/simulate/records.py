"""Encoding simulated events as UserActivity v2 records, with every per-entity field encoded once.

Fields are written in schema order; runs of adjacent fields that depend only on the track, or
only on the user, are pre-joined into one table row per track or user.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

from wrapped_lake.analytics.codes import CODES
from wrapped_lake.simulate.avro_blocks import Segment, encode, enums, fixed, floats, join, longs, nullable, strings
from wrapped_lake.simulate.catalog import UNKNOWN_YEAR, Catalog
from wrapped_lake.simulate.events import Events
from wrapped_lake.simulate.markets import COUNTRIES
from wrapped_lake.simulate.population import Population
from wrapped_lake.simulate.timeline import Sessions

SCHEMA_FILE = "user_activity_v2.avsc"
SESSION_DIGITS = 7  # session draw keys (local day * 48 + n) stay below 10**7 until the year 2540
EVENT_DIGITS = 5


def schema_json() -> str:
    """The project's schema as compact JSON, to embed in every file."""
    text = resources.files("wrapped_lake").joinpath("schemas", SCHEMA_FILE).read_text(encoding="utf-8")
    return json.dumps(json.loads(text), separators=(",", ":"))


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers[None, :]) % 10 + ord("0")).astype(np.uint8)


def _ascii(values: np.ndarray, width: int) -> np.ndarray:
    return np.array(values.tolist(), dtype=f"S{width}").view(np.uint8).reshape(-1, width)


def _const(n: int, *byte_values: int) -> np.ndarray:
    return np.tile(np.array(byte_values, dtype=np.uint8), (n, 1))


@dataclass(frozen=True)
class RecordTables:
    """Encoded field runs per track, user and session; events pick rows from them."""

    track_head: Segment  # song, songId, genre, artist, artistId
    track_duration: Segment  # duration
    track_tail: Segment  # valence, tempo, acousticness, energy, danceability, album, releaseYear, popularity
    user_id: Segment  # userId
    user_location: Segment  # userLocation
    user_tail: Segment  # subscriptionType, country, continent, personality
    session_playlist: Segment  # playlistId
    session_device: Segment  # deviceType
    session_chars: np.ndarray  # (sessions, 24) the sessionId text


def _track_tables(catalog: Catalog) -> tuple[Segment, Segment, Segment]:
    artist = catalog.artist
    head = join(
        [
            strings(catalog.track_name, optional=True),
            strings(catalog.track_id, optional=True),
            strings(np.array(catalog.genres, dtype=object)[catalog.genre]),
            strings(catalog.artist_name[artist], optional=True),
            strings(catalog.artist_id[artist], optional=True),
        ]
    )
    duration = nullable(longs(catalog.duration_ms))
    no_year = catalog.release_year == UNKNOWN_YEAR
    tail = join(
        [
            *(
                nullable(floats(getattr(catalog, name)))
                for name in ("valence", "tempo", "acousticness", "energy", "danceability")
            ),
            strings(catalog.album, optional=True),
            nullable(longs(catalog.release_year), no_year),
            nullable(longs(catalog.popularity)),
        ]
    )
    return head, duration, tail


def _user_tables(population: Population) -> tuple[Segment, Segment, Segment]:
    country = population.country
    user_tail = join(
        [
            nullable(enums(population.tier)),
            strings([COUNTRIES[c].code for c in country], optional=True),
            strings([COUNTRIES[c].continent for c in country], optional=True),
            strings([CODES[p] for p in population.personality], optional=True),
        ]
    )
    return strings(population.user_id), strings([COUNTRIES[c].name for c in country], optional=True), user_tail


def build_tables(catalog: Catalog, population: Population, sessions: Sessions) -> RecordTables:
    """All lookup tables for one run; cost scales with tracks, users and sessions, not events."""
    head, duration, tail = _track_tables(catalog)
    user_id, location, user_tail = _user_tables(population)
    id_chars = _ascii(population.user_id, 16)[sessions.user]
    n = len(sessions)
    session_chars = np.hstack([id_chars, _const(n, ord("-")), _digits(sessions.key, SESSION_DIGITS)])
    playlist_text = np.hstack([_const(n, 2 * 20), id_chars, _const(n, *b"-pl"), _digits(sessions.playlist, 1)])
    return RecordTables(
        track_head=head,
        track_duration=duration,
        track_tail=tail,
        user_id=user_id,
        user_location=location,
        user_tail=user_tail,
        session_playlist=nullable(fixed(playlist_text), sessions.playlist < 0),
        session_device=enums(sessions.device),
        session_chars=session_chars,
    )


def encode_events(tables: RecordTables, events: Events, rows: np.ndarray) -> bytes:
    """The given events as back-to-back UserActivity v2 records."""
    user, track, session = events.user[rows], events.track[rows], events.session[rows]
    chars = tables.session_chars[session]
    n = rows.size
    width = chars.shape[1]
    event_id = np.hstack(
        [
            _const(n, 2, 2 * (width + 1 + EVENT_DIGITS)),
            chars,
            _const(n, ord("-")),
            _digits(events.number[rows], EVENT_DIGITS),
        ]
    )
    session_id = np.hstack([_const(n, 2, 2 * width), chars])
    played = events.played_ms[rows]
    return encode(
        [
            tables.user_id.take(user),
            longs(events.time[rows]),
            enums(events.activity[rows]),
            tables.track_head.take(track),
            tables.session_playlist.take(session),
            tables.track_duration.take(track),
            tables.user_location.take(user),
            longs(events.start[rows]),
            longs(events.end[rows]),
            tables.session_device.take(session),
            tables.track_tail.take(track),
            tables.user_tail.take(user),
            fixed(event_id),
            fixed(session_id),
            nullable(longs(np.maximum(played, 0)), played < 0),
        ]
    )
