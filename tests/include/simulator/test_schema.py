"""The UserActivity schemas: v2 extends v1, documents every field, and resolves v1 files."""

from __future__ import annotations

import io

import fastavro
import numpy as np
from simfeed import schema

from wrapped_lake.simulate.avro_blocks import encode, floats, longs, nullable, strings
from wrapped_lake.simulate.events import ACTIVITY_TYPES
from wrapped_lake.simulate.markets import DEVICES, TIERS

TIMESTAMPS = ("eventTime", "startTime", "endTime")


def _fields(version: int) -> dict[str, dict]:
    return {f["name"]: f for f in schema(version)["fields"]}


def _bare(kind: object) -> object:
    """A type without docs and defaults, and an enum without its appended symbols' doc."""
    if isinstance(kind, list):
        return [_bare(k) for k in kind]
    if isinstance(kind, dict):
        return {k: _bare(v) for k, v in kind.items() if k not in ("doc", "symbols")}
    return kind


def test_v2_keeps_the_v1_record_name_and_namespace() -> None:
    assert (schema(2)["namespace"], schema(2)["name"]) == (schema(1)["namespace"], schema(1)["name"])


def test_v2_keeps_every_v1_field_with_its_type() -> None:
    v1, v2 = _fields(1), _fields(2)
    assert all(_bare(v1[name]["type"]) == _bare(v2[name]["type"]) for name in v1)


def test_v2_only_appends_activity_symbols() -> None:
    v1_symbols = _fields(1)["activityType"]["type"]["symbols"]
    v2_symbols = _fields(2)["activityType"]["type"]["symbols"]
    assert v2_symbols[: len(v1_symbols)] == v1_symbols
    assert {"ADD_TO_PLAYLIST", "LEAVE_APP"} <= set(v2_symbols)


def test_v2_documents_the_record_and_every_field() -> None:
    assert "schemaVersion 2" in schema(2)["doc"]
    assert all(field.get("doc") for field in schema(2)["fields"])


def test_v2_nullable_fields_default_to_null() -> None:
    nullable = [f for f in schema(2)["fields"] if isinstance(f["type"], list)]
    assert all(f["type"][0] == "null" and "default" in f and f["default"] is None for f in nullable)


def test_v2_timestamps_are_timestamp_millis() -> None:
    assert all(_fields(2)[name]["type"] == {"type": "long", "logicalType": "timestamp-millis"} for name in TIMESTAMPS)


def test_v2_adds_the_project_fields() -> None:
    added = {
        "eventId",
        "sessionId",
        "subscriptionType",
        "country",
        "continent",
        "personality",
        "releaseYear",
        "popularity",
        "playedMs",
    }
    assert added <= set(_fields(2)) - set(_fields(1))


def test_simulator_enums_match_the_schema() -> None:
    fields = _fields(2)
    assert tuple(fields["activityType"]["type"]["symbols"]) == ACTIVITY_TYPES
    assert tuple(fields["deviceType"]["type"]["symbols"]) == DEVICES
    assert tuple(fields["subscriptionType"]["type"][1]["symbols"]) == TIERS


def test_a_v1_file_reads_with_the_v2_schema() -> None:
    record = {
        "userId": "u1",
        "eventTime": 1_709_510_400_123,
        "activityType": "LIKE",
        "song": "S",
        "songId": "s1",
        "genre": "pop",
        "artist": "A",
        "artistId": "a1",
        "playlistId": None,
        "duration": 200_000,
        "userLocation": "Paris",
        "startTime": 1_709_510_400_000,
        "endTime": 1_709_510_600_000,
        "deviceType": "MOBILE",
        "valence": 0.5,
        "tempo": 120.0,
        "acousticness": 0.1,
        "energy": 0.8,
        "danceability": 0.7,
    }
    buffer = io.BytesIO()
    fastavro.writer(buffer, fastavro.parse_schema(schema(1)), [record])
    buffer.seek(0)
    (read,) = fastavro.reader(buffer, reader_schema=fastavro.parse_schema(schema(2)))
    assert read["activityType"] == "LIKE" and read["song"] == "S"
    assert read["eventTime"].timestamp() * 1000 == record["eventTime"]
    added = set(_fields(2)) - set(_fields(1))
    assert all(read[name] is None for name in added)


def test_the_vectorised_encoder_matches_fastavro_on_edge_values() -> None:
    edge = fastavro.parse_schema({
        "type": "record", "name": "Edge", "fields": [
            {"name": "n", "type": "long"}, {"name": "s", "type": ["null", "string"]},
            {"name": "f", "type": "float"}, {"name": "m", "type": ["null", "long"]},
        ],
    })  # fmt: skip
    longs_in = np.array([0, -1, 1, 63, -64, 64, 2**40, -(2**62), 2**63 - 1])
    texts = ["", None, "é" * 70, "x", "日本", None, "a" * 200, "b", "c"]
    reals = np.linspace(-1.5, 1e6, longs_in.size).astype(np.float32)
    missing = np.arange(longs_in.size) % 3 == 0
    payload = encode([longs(longs_in), strings(texts, optional=True), floats(reals),
                      nullable(longs(longs_in[::-1].copy()), missing)])  # fmt: skip
    buffer = io.BytesIO(payload)
    decoded = [fastavro.schemaless_reader(buffer, edge) for _ in range(longs_in.size)]
    assert [r["n"] for r in decoded] == longs_in.tolist()
    assert [r["s"] for r in decoded] == texts
    assert [r["f"] for r in decoded] == reals.tolist()
    assert [r["m"] for r in decoded] == [
        None if gap else v for v, gap in zip(longs_in[::-1].tolist(), missing, strict=True)
    ]
    assert buffer.read() == b""
