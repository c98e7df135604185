"""read_feed: simulated AVRO files become plays, users, tracks and interactions, or a clear InputError."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import fastavro
import pytest
from v1_feed import v1_event

from wrapped_lake.platform.errors import InputError
from wrapped_lake.readers.feed import FeedTables, read_feed
from wrapped_lake.readers.plays import PLAY_COLUMNS
from wrapped_lake.simulate import simulate

PLAY_TYPES = {"PLAY", "SKIP"}


def _schema(version: int) -> dict:
    text = resources.files("wrapped_lake").joinpath("schemas", f"user_activity_v{version}.avsc").read_text()
    return json.loads(text)


def _avro(schema: dict, records: list[dict]) -> bytes:
    out = io.BytesIO()
    fastavro.writer(out, fastavro.parse_schema(schema), records)
    return out.getvalue()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return simulate(12, 2, dt.date(2026, 1, 1), 5, tmp_path_factory.mktemp("feed"))


@pytest.fixture(scope="module")
def events(files: list[Path]) -> list[dict]:
    """Every record, decoded independently with plain fastavro."""
    records = []
    for path in files:
        with path.open("rb") as f:
            records.extend(fastavro.reader(f))
    return records


@pytest.fixture(scope="module")
def tables(files: list[Path]) -> list[FeedTables]:
    return [read_feed(path.read_bytes(), path.name) for path in files]


def _plays(events: list[dict]) -> list[dict]:
    return [e for e in events if e["activityType"] in PLAY_TYPES]


def test_every_play_and_skip_becomes_one_play(events, tables):
    assert sum(t.plays.num_rows for t in tables) == len(_plays(events))
    assert sum(t.rows_read for t in tables) == len(events)
    assert all(not t.rejected for t in tables)


def test_ms_played_per_listener_is_the_sum_of_played_ms(events, tables):
    expected = Counter()
    for e in _plays(events):
        expected[e["userId"]] += e["playedMs"]
    got = Counter()
    for t in tables:
        for listener, ms in zip(t.plays["listener"].to_pylist(), t.plays["ms_played"].to_pylist(), strict=True):
            got[listener] += ms
    assert got == expected


def test_interactions_are_not_plays(events, tables):
    kinds = Counter(k for t in tables for k in t.interactions["activity_type"].to_pylist())
    assert not PLAY_TYPES & set(kinds)
    assert sum(kinds.values()) == len(events) - len(_plays(events))


def test_plays_have_the_export_columns_and_mapped_values(events, tables):
    first = tables[0].plays
    assert first.schema.names == [*PLAY_COLUMNS, "listener"]
    assert [first.schema.field(n).type for n in PLAY_COLUMNS] == list(PLAY_COLUMNS.values())
    row = first.slice(0, 1).to_pylist()[0]
    source = next(
        e
        for e in events
        if e["userId"] == row["listener"] and e["endTime"] == row["ended_at"] and e["activityType"] in PLAY_TYPES
    )
    assert row["track_uri"] == f"spotify:track:{source['songId']}"
    assert row["track_name"] == source["song"]
    assert row["album_name"] == source["album"]
    assert row["platform"] == source["deviceType"].lower()
    assert row["conn_country"] == source["country"]
    assert row["skipped"] == (source["activityType"] == "SKIP")
    assert row["reason_end"] == ("fwdbtn" if row["skipped"] else "trackdone")
    assert (row["media"], row["is_video"], row["minute_precision"], row["incognito_mode"]) == (
        "music",
        False,
        False,
        False,
    )
    assert row["episode_uri"] is None and row["shuffle"] is None


def test_users_have_one_row_each_with_their_stable_attributes(events, tables):
    attributes = defaultdict(set)
    for e in events:
        attributes[e["userId"]].add((e["country"], e["continent"], e["subscriptionType"], e["personality"]))
    for t in tables:
        users = t.users.to_pylist()
        assert len(users) == len({u["listener"] for u in users})
        for u in users:
            key = (u["country"], u["continent"], u["subscription_type"], u["personality"])
            assert attributes[u["listener"]] == {key}


def test_tracks_have_one_row_per_song_id(events, tables):
    for t in tables:
        ids = t.tracks["track_id"].to_pylist()
        assert len(ids) == len(set(ids))
    by_id = {e["songId"]: e for e in events}
    track = tables[0].tracks.slice(0, 1).to_pylist()[0]
    source = by_id[track["track_id"]]
    assert (track["artist_id"], track["genre"], track["duration_ms"], track["release_year"]) == (
        source["artistId"],
        source["genre"],
        source["duration"],
        source["releaseYear"],
    )
    assert track["tempo"] == pytest.approx(source["tempo"])


def test_a_v1_file_reads_through_schema_resolution(events):
    v1_names = {f["name"] for f in _schema(1)["fields"]}
    picked = [e for e in events if e["activityType"] in {"PLAY", "SKIP", "LIKE", "PAUSE"}][:50]
    records = [{k: v for k, v in e.items() if k in v1_names} for e in picked]

    feed = read_feed(_avro(_schema(1), records), "old.avro")

    plays = [r for r in records if r["activityType"] in PLAY_TYPES]
    assert feed.plays.num_rows == len(plays)
    expected = [int((r["endTime"] - r["startTime"]).total_seconds() * 1000) for r in plays]
    assert feed.plays["ms_played"].to_pylist() == expected
    assert set(feed.users["personality"].to_pylist()) == {None}
    assert feed.interactions.num_rows == len(records) - len(plays)


def test_bad_rows_are_counted_and_dropped(events):
    schema = copy.deepcopy(_schema(2))
    end = next(f for f in schema["fields"] if f["name"] == "endTime")
    end["type"] = ["null", end["type"]]
    plays = [dict(e) for e in _plays(events)[:5]]
    plays[0]["endTime"] = None
    plays[1]["playedMs"] = -5
    plays[2]["startTime"] = plays[2]["endTime"] + dt.timedelta(seconds=1)
    plays[3]["endTime"] = 9_000_000_000_000_000_000  # ms: out of any timestamp type's range

    feed = read_feed(_avro(schema, plays), "bad-rows.avro")

    assert feed.plays.num_rows == 1
    assert feed.rejected == Counter(
        {
            "play without end time": 1,
            "negative playedMs": 1,
            "play ends before it starts": 1,
            "play ends after the year 9999": 1,
        }
    )


def test_interactions_dated_in_seconds_or_microseconds_are_rejected_row_by_row(events):
    others = [dict(e) for e in events if e["activityType"] not in PLAY_TYPES][:4]
    schema = copy.deepcopy(_schema(2))
    event_time = next(f for f in schema["fields"] if f["name"] == "eventTime")
    event_time["type"] = "long"  # written as raw numbers, as a foreign writer might
    ms = [int(e["eventTime"].timestamp() * 1000) for e in others]
    others[0]["eventTime"] = ms[0] // 1000  # seconds
    others[1]["eventTime"] = ms[1] * 1000  # microseconds
    others[2]["eventTime"], others[3]["eventTime"] = ms[2], ms[3]

    feed = read_feed(_avro(schema, others), "units.avro")

    assert feed.interactions.num_rows == 2
    assert feed.rejected == Counter(
        {
            "interaction before the year 2000 (seconds written as milliseconds?)": 1,
            "interaction after the year 9999 (microseconds written as milliseconds?)": 1,
        }
    )


def test_v1_interactions_get_an_event_id_derived_from_the_event():
    schema = _schema(1)
    record = v1_event(userId="u1", activityType="LIKE")
    first = read_feed(_avro(schema, [record, {**record, "activityType": "PAUSE"}]), "v1.avro").interactions
    again = read_feed(_avro(schema, [record]), "v1-again.avro").interactions
    ids = first["event_id"].to_pylist()
    assert len(set(ids)) == 2 and all(i.startswith("v1-") for i in ids)
    assert again["event_id"].to_pylist() == ids[:1]


def test_random_bytes_are_not_an_avro_file():
    with pytest.raises(InputError, match="not an Avro object container file"):
        read_feed(b"\x13\x37 not avro at all" * 10, "noise.avro")


def test_a_truncated_file_says_so(files):
    data = max((p.read_bytes() for p in files), key=len)
    with pytest.raises(InputError, match="truncated") as err:
        read_feed(data[: len(data) // 2], "cut.avro")
    assert err.value.kind == "avro"


def test_a_damaged_sync_marker_says_so(files):
    data = bytearray(max((p.read_bytes() for p in files), key=len))
    data[-1] ^= 0xFF  # the last block's trailing sync marker
    with pytest.raises(InputError, match="sync marker"):
        read_feed(bytes(data), "damaged.avro")


def test_an_incompatible_field_type_is_named():
    schema = copy.deepcopy(_schema(1))
    next(f for f in schema["fields"] if f["name"] == "duration")["type"] = ["null", "string"]
    with pytest.raises(InputError, match="not compatible with UserActivity v2: field 'duration'"):
        read_feed(_avro(schema, []), "strings.avro")


def test_a_different_record_is_rejected():
    schema = {"type": "record", "name": "Invoice", "fields": [{"name": "total", "type": "int"}]}
    with pytest.raises(InputError, match="not compatible with UserActivity v2: the record is 'Invoice'"):
        read_feed(_avro(schema, [{"total": 3}]), "invoice.avro")
