"""The Wrapped's JSON: the published schema matches the record, every shape of output is valid
against it, and one hand-made listener's bytes are pinned."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import typing
from datetime import UTC, date, datetime

import orjson
import pytest
from jsonschema import ValidationError

from wrapped_lake import fixtures
from wrapped_lake.ingest import ingest
from wrapped_lake.marts.build import build
from wrapped_lake.marts.catalog import load_catalog
from wrapped_lake.reports import record
from wrapped_lake.reports.publish import render
from wrapped_lake.reports.wrapped import ReportError, to_json, wrapped
from wrapped_lake.simulate import simulate


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def song(ended_at, ms, artist, track, **extra) -> dict:
    return {"ended_at": ended_at, "ms": ms, "artist_name": artist, "track_name": track, "album_name": f"{artist} LP",
            "track_uri": f"spotify:track:{artist}-{track}", **extra}  # fmt: skip


# Worked out by hand: music 200,000 + 20,000 + 100,000 + 95,432 ms = 6.92 min (the private play
# left out); skips 2 of the 3 plays with skip data; exploration (1/2 + 1/1) / 3 streams = 0.5; Ana
# is new in 2024, Old is not. Insights: one phase (2 weeks of streams, under the 8 that two take),
# Ana's week first, ending with the Sunday of Old's; weeks counted back from the last play (Jul 4),
# 27 from the one holding Dec 30; the last 12 weeks' 95,432 ms against the 12 before's 320,000 ms: -70.2%; no
# track streamed more than 3 times; no stream before Jul 4, 2023, so nothing to forget.
GOLDEN_PLAYS = [
    song(at(2023, 12, 30, 20), 90_000, "Old", "Back"),
    song(at(2024, 3, 1, 10), 200_000, "Ana", "One", skipped=False, reason_end="trackdone"),
    song(at(2024, 3, 1, 11), 20_000, "Ana", "One"),  # a play, not a stream
    song(at(2024, 3, 2, 12), 100_000, "Ana", "Two", skipped=True),
    song(at(2024, 3, 2, 13), 300_000, "Ana", "Two", incognito_mode=True),  # private: left out
    song(at(2024, 7, 4, 21, 15), 95_432, "Old", "Back", skipped=False, reason_end="fwdbtn"),
    {"ended_at": at(2024, 3, 3, 8), "ms": 600_000, "show_name": "Pod", "episode_name": "E1"},
]
GOLDEN_JSON = """\
{
  "listener": "golden",
  "year": 2024,
  "timezone": "UTC",
  "minutes_music": 6.92,
  "minutes_podcast": 10.0,
  "streams": 3,
  "distinct_tracks": 3,
  "distinct_artists": 2,
  "top_artists": [
    {
      "name": "Ana",
      "minutes": 5.33,
      "streams": 2
    },
    {
      "name": "Old",
      "minutes": 1.59,
      "streams": 1
    }
  ],
  "top_tracks": [
    {
      "name": "One",
      "artist": "Ana",
      "streams": 1,
      "minutes": 3.67,
      "first_played": "2024-03-01"
    },
    {
      "name": "Two",
      "artist": "Ana",
      "streams": 1,
      "minutes": 1.67,
      "first_played": "2024-03-02"
    },
    {
      "name": "Back",
      "artist": "Old",
      "streams": 1,
      "minutes": 1.59,
      "first_played": "2024-07-04"
    }
  ],
  "top_albums": [
    {
      "name": "Ana LP",
      "artist": "Ana",
      "minutes": 5.33
    },
    {
      "name": "Old LP",
      "artist": "Old",
      "minutes": 1.59
    }
  ],
  "top_podcasts": [
    {
      "name": "Pod",
      "minutes": 10.0
    }
  ],
  "top_genres": null,
  "biggest_day": {
    "date": "2024-03-03",
    "minutes": 10.0
  },
  "monthly_minutes": [
    0.0,
    0.0,
    5.33,
    0.0,
    0.0,
    0.0,
    1.59,
    0.0,
    0.0,
    0.0,
    0.0,
    0.0
  ],
  "listening_clock": [
    0.0,
    0.0,
    0.0,
    0.0,
    0.0,
    0.0,
    0.0,
    0.0,
    0.0,
    0.0,
    3.33,
    0.33,
    1.67,
    0.0,
    0.0,
    0.0,
    0.0,
    0.0,
    0.0,
    0.0,
    0.0,
    1.59,
    0.0,
    0.0
  ],
  "longest_streak_days": 2,
  "skip_rate": 0.6667,
  "new_artists": 1,
  "top_new_artist": {
    "name": "Ana",
    "minutes": 5.33
  },
  "personality": {
    "code": null,
    "name": null,
    "scores": {
      "exploration": 0.5,
      "newness": null,
      "variety": 1.0,
      "uniqueness": null
    },
    "axes": [
      {
        "axis": "F/E",
        "score": 0.5,
        "letter": "E"
      },
      {
        "axis": "T/N",
        "score": null,
        "letter": null
      },
      {
        "axis": "L/V",
        "score": 1.0,
        "letter": "V"
      },
      {
        "axis": "C/U",
        "score": null,
        "letter": null
      }
    ]
  },
  "audio_profile": null,
  "catalog_coverage": 0.0,
  "percentile": null,
  "spotify": null,
  "insights": {
    "phases": [
      {
        "start": "2024-02-26",
        "end": "2024-07-07",
        "top_artists": [
          "Ana",
          "Old"
        ]
      }
    ],
    "obsessions": [],
    "unusual_days": null,
    "trend": {
      "weekly_minutes": [
        {
          "week": "2023-12-29",
          "minutes": 1.5
        },
        {
          "week": "2024-01-05",
          "minutes": 0.0
        },
        {
          "week": "2024-01-12",
          "minutes": 0.0
        },
        {
          "week": "2024-01-19",
          "minutes": 0.0
        },
        {
          "week": "2024-01-26",
          "minutes": 0.0
        },
        {
          "week": "2024-02-02",
          "minutes": 0.0
        },
        {
          "week": "2024-02-09",
          "minutes": 0.0
        },
        {
          "week": "2024-02-16",
          "minutes": 0.0
        },
        {
          "week": "2024-02-23",
          "minutes": 0.0
        },
        {
          "week": "2024-03-01",
          "minutes": 5.33
        },
        {
          "week": "2024-03-08",
          "minutes": 0.0
        },
        {
          "week": "2024-03-15",
          "minutes": 0.0
        },
        {
          "week": "2024-03-22",
          "minutes": 0.0
        },
        {
          "week": "2024-03-29",
          "minutes": 0.0
        },
        {
          "week": "2024-04-05",
          "minutes": 0.0
        },
        {
          "week": "2024-04-12",
          "minutes": 0.0
        },
        {
          "week": "2024-04-19",
          "minutes": 0.0
        },
        {
          "week": "2024-04-26",
          "minutes": 0.0
        },
        {
          "week": "2024-05-03",
          "minutes": 0.0
        },
        {
          "week": "2024-05-10",
          "minutes": 0.0
        },
        {
          "week": "2024-05-17",
          "minutes": 0.0
        },
        {
          "week": "2024-05-24",
          "minutes": 0.0
        },
        {
          "week": "2024-05-31",
          "minutes": 0.0
        },
        {
          "week": "2024-06-07",
          "minutes": 0.0
        },
        {
          "week": "2024-06-14",
          "minutes": 0.0
        },
        {
          "week": "2024-06-21",
          "minutes": 0.0
        },
        {
          "week": "2024-06-28",
          "minutes": 1.59
        }
      ],
      "change_pct": -70.2
    },
    "top_discoveries": [],
    "forgotten_favourites": null,
    "release_years": null,
    "genre_hours": null,
    "top_artist_months": [
      {
        "artist": "Ana",
        "streams": [
          0,
          0,
          2,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0
        ]
      },
      {
        "artist": "Old",
        "streams": [
          0,
          0,
          0,
          0,
          0,
          0,
          1,
          0,
          0,
          0,
          0,
          0
        ]
      }
    ],
    "daily_minutes": [
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      3.67,
      1.67,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      1.59,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0,
      0.0
    ]
  }
}
"""


def test_one_hand_made_listeners_json_is_pinned_byte_for_byte(lake, conn, plays_file):
    plays_file("golden", GOLDEN_PLAYS)
    build(conn, lake)
    assert to_json(wrapped(conn, "golden", 2024)).decode() == GOLDEN_JSON


def _schema() -> dict:
    return json.loads(record.SCHEMA_FILE.read_text())


def _fields(cls) -> list[str]:
    return [field.name for field in dataclasses.fields(cls)]


def test_the_schema_names_every_field_of_the_record_in_order():
    schema = _schema()
    assert list(schema["properties"]) == schema["required"] == _fields(record.Wrapped)
    nested = {
        "top_artist": record.TopArtist, "top_track": record.TopTrack, "top_album": record.TopAlbum,
        "top_podcast": record.TopPodcast, "top_genre": record.TopGenre, "biggest_day": record.BiggestDay,
        "new_artist": record.NewArtist, "personality": record.Personality, "axis": record.Axis,
        "audio_profile": record.AudioProfile, "spotify": record.SpotifyFigures, "insights": record.Insights,
        "phase": record.Phase, "obsession": record.Obsession, "unusual_day": record.UnusualDay, "trend": record.Trend,
        "week_minutes": record.WeekMinutes, "insight_track": record.InsightTrack, "release_year": record.ReleaseYear,
        "genre_hours": record.GenreHours, "artist_months": record.ArtistMonths,
    }  # fmt: skip
    assert set(nested) == set(schema["$defs"])
    for name, cls in nested.items():
        assert list(schema["$defs"][name]["properties"]) == _fields(cls), name
    personality = schema["$defs"]["personality"]["properties"]
    assert list(personality["scores"]["properties"]) == _fields(record.AxisScores)
    spotify_day = schema["$defs"]["spotify"]["properties"]["biggest_day"]
    assert list(spotify_day["properties"]) == _fields(record.SpotifyBiggestDay)
    assert typing.get_type_hints(record.Wrapped)["year"] == int | None  # "all" only in the JSON


def test_the_schema_refuses_a_missing_key_an_unknown_key_and_a_date_that_is_none(valid_wrapped_json):
    good = orjson.loads(GOLDEN_JSON)
    valid_wrapped_json(GOLDEN_JSON.encode())
    for bad in (
        {k: v for k, v in good.items() if k != "streams"},
        {**good, "favourite_colour": "green"},
        {**good, "biggest_day": {"date": "2024-13-45", "minutes": 1.0}},
        {**good, "monthly_minutes": good["monthly_minutes"][:11]},
    ):
        with pytest.raises(ValidationError):
            valid_wrapped_json(orjson.dumps(bad))


def test_every_kind_of_listener_gives_json_the_schema_accepts(lake, conn, plays_file, tmp_path, valid_wrapped_json):
    plays_file("golden", GOLDEN_PLAYS)
    plays_file("pod", [{"ended_at": at(2024, 6, 1, 8), "ms": 90_000, "show_name": "Pod"}])
    plays_file("cat", [song(at(2024, 3, 1, 8, i), 90_000, f"A{i % 3}", f"T{i}") for i in range(30)])
    csv = tmp_path / "catalog.csv"
    rows = [f"A{i % 3}-T{i},A{i % 3},T{i},{90 if i < 20 else 10},pop,0.5,0.6,0.7,0.1,120,2024" for i in range(30)]
    header = "track_id,artists,track_name,popularity,track_genre,valence,energy,danceability,acousticness,tempo,year"
    csv.write_text("\n".join([header, *rows]) + "\n")
    load_catalog(conn, csv)
    spotify = {"yearlyMetrics": {"mostListenedDay": "2024-03-10", "mostListenedDayMinutes": 45.0},
               "topTracks": {"topTrackPlayCount": 15, "topTrackFirstPlayedDate": "2024-03-10"},
               "topPodcasts": {"topPodcastMilliseconds": 270_000}}  # fmt: skip
    history = fixtures.full_history("alice", plays=400, per_file=200)
    fixtures.write_files(lake.inbox / "alice", {**history.files, "Wrapped2024.json": orjson.dumps(spotify)})
    simulate(8, 3, date(2024, 5, 1), 4, lake.inbox)  # 12 listeners in 2024: a percentile
    ingest(lake)
    build(conn, lake)
    listeners = [name for (name,) in conn.execute("SELECT listener FROM marts.listeners")]
    outputs = []
    for listener in listeners:
        years = [y for (y,) in conn.execute("SELECT year FROM marts.listener_years WHERE listener = %s", (listener,))]
        for year, window in [(None, "calendar"), *((y, w) for y in years for w in ("calendar", "spotify"))]:
            with contextlib.suppress(ReportError):  # a year without plays before Spotify's cut-off
                outputs.append(valid_wrapped_json(render(conn, listener, year, window, "json")))
    seen = {key for output in outputs for key, value in output.items() if value is not None}
    assert seen == set(_schema()["properties"])  # every figure shown at least once: every part checked
    assert any(output["personality"] and output["personality"]["code"] for output in outputs)
    assert {"all", 2024} <= {output["year"] for output in outputs}
