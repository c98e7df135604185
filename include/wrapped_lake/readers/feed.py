"""Read simulated listening-feed files (AVRO, UserActivity v2 or v1) into Arrow tables.

Events become plays as the simulator's package docstring and the v2 schema's doc define: PLAY and
SKIP events are plays, everything else is an interaction. Files written with the v1 record load
through Avro schema resolution; v1 has no playedMs, so a v1 play's ms_played is endTime - startTime
(which counts any time paused: v1 cannot tell).
"""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from hashlib import md5
from importlib import resources
from itertools import compress, islice
from operator import itemgetter, not_

import fastavro
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from fastavro.schema import to_parsing_canonical_form

from wrapped_lake.platform.errors import InputError
from wrapped_lake.readers.plays import (
    BEFORE_SPOTIFY,
    EARLIEST_PLAY,
    LONGER_THAN_A_DAY,
    MAX_PLAY_MS,
    PLAY_COLUMNS,
    count_problems,
    without_nul,
)

KIND = "avro"
MAGIC = b"Obj\x01"
SYNC_SIZE = 16
TIME_FIELDS = ("eventTime", "startTime", "endTime")
PLAY_TYPES = ("PLAY", "SKIP")
CHUNK_RECORDS = 65_536  # bounds memory: records are decoded to dicts one chunk at a time
YEAR_2000_MS = 946_684_800_000
YEAR_10000_MS = 253_402_300_800_000  # later end times overflow timestamp types (playedMs is an int)
YEAR_2100_MS = 4_102_444_800_000
EARLIEST_PLAY_MS = int(EARLIEST_PLAY.timestamp() * 1000)
UTC_MS = pa.timestamp("ms", tz="UTC")

# v2 field -> Arrow type of the column read from it (playlistId and userLocation are not used).
EVENT_FIELDS: dict[str, pa.DataType] = {
    "userId": pa.string(),
    "eventTime": UTC_MS,
    "activityType": pa.string(),
    "song": pa.string(),
    "songId": pa.string(),
    "genre": pa.string(),
    "artist": pa.string(),
    "artistId": pa.string(),
    "duration": pa.int64(),
    "startTime": pa.int64(),
    "endTime": pa.int64(),
    "deviceType": pa.string(),
    "valence": pa.float32(),  # Avro float is single precision: float32 keeps the values exact
    "tempo": pa.float32(),
    "acousticness": pa.float32(),
    "energy": pa.float32(),
    "danceability": pa.float32(),
    "album": pa.string(),
    "releaseYear": pa.int32(),
    "popularity": pa.int32(),
    "subscriptionType": pa.string(),
    "country": pa.string(),
    "continent": pa.string(),
    "personality": pa.string(),
    "eventId": pa.string(),
    "sessionId": pa.string(),
    "playedMs": pa.int64(),
}
USER_COLUMNS = {
    "listener": "userId",
    "country": "country",
    "continent": "continent",
    "subscription_type": "subscriptionType",
    "personality": "personality",
}
TRACK_COLUMNS = {
    "track_id": "songId",
    "track_name": "song",
    "artist_id": "artistId",
    "artist_name": "artist",
    "album_name": "album",
    "genre": "genre",
    "release_year": "releaseYear",
    "popularity": "popularity",
    "duration_ms": "duration",
    "valence": "valence",
    "energy": "energy",
    "danceability": "danceability",
    "acousticness": "acousticness",
    "tempo": "tempo",
}
PLAY_FIELDS = (
    "userId",
    "activityType",
    "song",
    "songId",
    "artist",
    "album",
    "startTime",
    "endTime",
    "deviceType",
    "country",
    "playedMs",
)
INTERACTION_COLUMNS = {
    "listener": "userId",
    "event_id": "eventId",
    "session_id": "sessionId",
    "activity_type": "activityType",
    "event_time": "eventTime",
    "track_id": "songId",
}
_PROMOTIONS = {
    "null": {"null"},
    "boolean": {"boolean"},
    "int": {"int", "long", "float", "double"},
    "long": {"long", "float", "double"},
    "float": {"float", "double"},
    "double": {"double"},
    "string": {"string", "bytes"},
    "bytes": {"bytes", "string"},
}


@dataclass
class FeedTables:
    """One feed file as tables: plays (PLAY_COLUMNS plus listener), users, tracks, interactions."""

    plays: pa.Table
    users: pa.Table
    tracks: pa.Table
    interactions: pa.Table
    rows_read: int = 0
    rejected: Counter = field(default_factory=Counter)


def read_feed(data: bytes, name: str) -> FeedTables:
    """Decode one AVRO feed file; raises InputError (kind "avro") for a file that cannot be read.

    `name` is not part of any reason (the quarantine report records it); it keeps the signature
    in line with exports.read_export.
    """
    meta, sync, body = _header(data)
    writer = _writer_schema(meta)
    _check_compatible(writer)
    writer = _fast(writer)
    # Resolution against an identical schema is the identity, and fastavro's resolving reader is
    # about twice as slow, so v2 files are decoded directly.
    same = to_parsing_canonical_form(writer) == _v2_canonical()
    stream = io.BytesIO(_encode_header(meta | {"avro.schema": json.dumps(writer).encode()}, sync) + data[body:])
    try:
        records = fastavro.reader(stream, reader_schema=None if same else _fast(_reader_schema()))
    except Exception as err:  # e.g. a reference to a named type the schema never defines
        raise _incompatible(f"fastavro cannot use the file's schema: {err}") from None
    has_played_ms = any(f["name"] == "playedMs" for f in writer["fields"])
    rejected: Counter = Counter()
    parts, rows_read = [], 0
    while True:
        try:
            chunk = list(islice(records, CHUNK_RECORDS))
        except Exception as err:  # damaged data surfaces as many bare types: ValueError, EOFError, ...
            raise InputError(_corrupt_reason(err, rows_read), kind=KIND) from None
        if not chunk:
            break
        rows_read += len(chunk)
        parts.append(_tables_of_chunk(chunk, has_played_ms, rejected))
    plays, users, tracks, interactions = (list(p) for p in zip(*parts, strict=True)) if parts else ([], [], [], [])
    return FeedTables(
        plays=without_nul(_concat(plays, _play_schema())),
        users=without_nul(_first_rows(_concat(users, _schema(USER_COLUMNS)), "listener").sort_by("listener")),
        tracks=without_nul(_first_rows(_concat(tracks, _schema(TRACK_COLUMNS)), "track_id").sort_by("track_id")),
        interactions=without_nul(_concat(interactions, _schema(INTERACTION_COLUMNS))),
        rows_read=rows_read,
        rejected=rejected,
    )


@cache
def _v2() -> dict:
    text = resources.files("wrapped_lake").joinpath("schemas", "user_activity_v2.avsc").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _v2_canonical() -> str:
    return to_parsing_canonical_form(_fast(_v2()))


@cache
def _reader_schema() -> dict:
    """v2 with times as plain longs that may be null, so a play without one is rejected, not the file."""
    schema = _plain_times(_v2())
    schema["fields"] = [{**f, "type": ["null", "long"]} if f["name"] in TIME_FIELDS else f for f in schema["fields"]]
    return schema


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return (result >> 1) ^ -(result & 1), pos
        shift += 7


def _zigzag(n: int) -> bytes:
    n = (n << 1) ^ (n >> 63)
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _header(data: bytes) -> tuple[dict[str, bytes], bytes, int]:
    """The container header's metadata, sync marker, and where the first block starts."""
    if not data:
        raise InputError("empty file: no Avro data", kind=KIND)
    if data[:4] != MAGIC:
        raise InputError("not an Avro object container file (bad magic bytes)", kind=KIND)
    meta, pos = {}, 4
    try:
        while True:
            count, pos = _varint(data, pos)
            if count == 0:
                break
            if count < 0:  # a negative count is followed by the block's size in bytes
                count = -count
                _, pos = _varint(data, pos)
            for _ in range(count):
                size, pos = _varint(data, pos)
                key = data[pos : pos + size].decode()
                size, pos = _varint(data, pos + size)
                meta[key] = data[pos : pos + size]
                pos += size
    except (IndexError, UnicodeDecodeError):
        raise InputError("truncated or damaged Avro header", kind=KIND) from None
    if pos + SYNC_SIZE > len(data):
        raise InputError("truncated Avro header: the sync marker is missing", kind=KIND)
    return meta, data[pos : pos + SYNC_SIZE], pos + SYNC_SIZE


def _encode_header(meta: dict[str, bytes], sync: bytes) -> bytes:
    out = bytearray(MAGIC) + _zigzag(len(meta))
    for key, value in meta.items():
        out += _zigzag(len(key)) + key.encode() + _zigzag(len(value)) + value
    return bytes(out + _zigzag(0) + sync)


def _writer_schema(meta: dict[str, bytes]) -> dict:
    codec = meta.get("avro.codec", b"null").decode(errors="replace")
    if codec not in fastavro.read.BLOCK_READERS:
        raise InputError(f"unsupported Avro codec {codec!r}", kind=KIND)
    if "avro.schema" not in meta:
        raise InputError("Avro header has no schema", kind=KIND)
    try:
        schema = json.loads(meta["avro.schema"])
    except ValueError:
        raise InputError("Avro header schema is not valid JSON", kind=KIND) from None
    if not isinstance(schema, dict) or schema.get("type") != "record" or not isinstance(schema.get("fields"), list):
        raise _incompatible("the file's schema is not a record")
    return schema


def _retyped(schema: dict, retype) -> dict:
    def walk(kind):
        if isinstance(kind, list):
            return [walk(k) for k in kind]
        if isinstance(kind, dict):
            kind = retype(kind)
            return {k: walk(v) if k == "type" else v for k, v in kind.items()} if isinstance(kind, dict) else kind
        return retype(kind)

    return {**schema, "fields": [{**f, "type": walk(f["type"])} for f in schema["fields"]]}


def _plain_time(kind):
    if isinstance(kind, dict) and kind.get("logicalType") == "timestamp-millis" and kind.get("type") == "long":
        return "long"
    return kind


def _plain_times(schema: dict) -> dict:
    """The schema with timestamp-millis as plain long: fastavro then returns ints, not datetimes."""
    return _retyped(schema, _plain_time)


def _fast(schema: dict) -> dict:
    """The schema to decode with: plain long times and strings as bytes (the same encoding).

    A datetime per timestamp, only to turn it back into milliseconds, and a str per string that
    Arrow turns back into UTF-8 cost about 40% of the decoding time; Arrow validates the UTF-8.
    """
    return _retyped(_plain_times(schema), lambda kind: "bytes" if kind == "string" else kind)


def _incompatible(detail: str) -> InputError:
    return InputError(f"Avro schema not compatible with UserActivity v2: {detail}", kind=KIND)


def _check_compatible(writer: dict) -> None:
    """Name the first field whose written type v2 cannot read (stricter than Avro's lazy rules)."""
    if writer.get("name", "").rsplit(".", 1)[-1] != _v2()["name"]:
        raise _incompatible(f"the record is {writer.get('name')!r}, not {_v2()['name']!r}")
    written = {f.get("name"): _plain_times({"fields": [f]})["fields"][0]["type"] for f in writer["fields"]}
    for f in _reader_schema()["fields"]:
        if f["name"] not in written:
            if "default" not in f:
                raise _incompatible(f"field {f['name']!r} is missing and has no default")
            continue
        why = _mismatch(written[f["name"]], f["type"])
        if why:
            raise _incompatible(f"field {f['name']!r}: {why}")


def _type_name(kind) -> str:
    return kind.get("type") if isinstance(kind, dict) else kind


def _describe(kind) -> str:
    if isinstance(kind, list):
        return " or ".join(_describe(k) for k in kind)
    if isinstance(kind, dict) and "logicalType" in kind:
        return f"{kind['type']} ({kind['logicalType']})"
    return str(_type_name(kind))


def _mismatch(writer, reader) -> str | None:
    """Why values written as `writer` cannot be read as `reader`, or None."""
    if isinstance(reader, list):
        for branch in writer if isinstance(writer, list) else [writer]:
            if all(_mismatch(branch, r) for r in reader):
                return f"written as {_describe(writer)}, v2 expects {_describe(reader)}"
        return None
    if isinstance(writer, list):
        return next((f"may be {_describe(w)}" for w in writer if _mismatch(w, reader)), None)
    if isinstance(writer, dict) and "logicalType" in writer:
        return f"written as {_describe(writer)}, which v2 does not use"
    if _type_name(reader) == "enum":
        if _type_name(writer) != "enum" or writer.get("name", "").rsplit(".", 1)[-1] != reader["name"]:
            return f"written as {_describe(writer)}, v2 expects enum {reader['name']}"
        unknown = [s for s in writer.get("symbols", []) if s not in reader["symbols"]]
        return f"symbols {', '.join(unknown)} are not in v2's {reader['name']}" if unknown else None
    if _type_name(reader) not in _PROMOTIONS.get(_type_name(writer), ()):
        return f"written as {_describe(writer)}, v2 expects {_describe(reader)}"
    return None


def _corrupt_reason(err: Exception, rows_read: int) -> str:
    where = f"after {rows_read} records"
    if isinstance(err, EOFError) or "cannot read" in str(err):
        return f"truncated Avro file: a data block ends early ({where})"
    if "sync marker" in str(err):
        return f"corrupt Avro file: bad sync marker ({where}); the file is damaged or truncated"
    if isinstance(err, fastavro.read.SchemaResolutionError):
        return f"Avro schema not compatible with UserActivity v2 ({where}): {err}"
    return f"corrupt Avro data block ({where}): {type(err).__name__}: {err}"


def _table(records: list[dict], fields: tuple[str, ...]) -> pa.Table:
    """These fields of the records as columns: one C-level transpose, no Python call per value."""
    schema = pa.schema([(f, EVENT_FIELDS[f]) for f in fields])
    if not records:
        return schema.empty_table()
    columns = zip(*map(itemgetter(*fields), records), strict=True)
    return pa.table([_array(values, f) for f, values in zip(schema, columns, strict=True)], schema=schema)


def _array(values: tuple, column: pa.Field) -> pa.Array:
    if column.type != pa.string():
        return pa.array(values, column.type)
    try:
        return pa.array(values, pa.binary()).cast(pa.string())
    except pa.ArrowInvalid:
        raise InputError(f"field {column.name!r} holds text that is not valid UTF-8", kind=KIND) from None


def _first_seen(records: list[dict], key: str) -> list[dict]:
    """The first record of each key (walking backwards, the earliest record is written last)."""
    return list({r[key]: r for r in reversed(records)}.values())


def _tables_of_chunk(records: list[dict], has_played_ms: bool, rejected: Counter) -> tuple[pa.Table, ...]:
    """One chunk's plays, first-seen users and tracks, and interactions.

    Each table converts only the fields it needs, and users and tracks only their first records:
    converting Python values to Arrow costs about as much as decoding them.
    """
    is_play = [r["activityType"] in PLAY_TYPES for r in records]
    played = _table(list(compress(records, is_play)), PLAY_FIELDS)
    others = _table(list(compress(records, map(not_, is_play))), tuple(INTERACTION_COLUMNS.values()))
    start, end = played["startTime"], played["endTime"]
    ms = played["playedMs"] if has_played_ms else pc.subtract(end, start)
    problems = [
        ("play without end time", pc.is_null(end)),
        ("play without start time", pc.is_null(start)),
        ("play without playedMs", pc.is_null(ms)),
        ("play ends before it starts", pc.less(end, start)),
        ("negative playedMs", pc.less(ms, 0)),
        ("play ends before the year 2000 (seconds written as milliseconds?)", pc.less(end, YEAR_2000_MS)),
        ("play ends after the year 9999", pc.greater_equal(end, YEAR_10000_MS)),
        (BEFORE_SPOTIFY, pc.less(end, EARLIEST_PLAY_MS)),
        (LONGER_THAN_A_DAY, pc.greater(ms, MAX_PLAY_MS)),
        # A simulated feed may lie ahead of today; past 2099 a listener's local year would leave
        # what dates can hold once shifted by a zone.
        ("play ends after 2099", pc.greater_equal(end, YEAR_2100_MS)),
    ]
    keep_plays = count_problems(problems, len(played), rejected)
    event_ms = pc.cast(others["eventTime"], pa.int64())
    keep_others = count_problems(
        [
            ("interaction without event time", pc.is_null(event_ms)),
            ("interaction before the year 2000 (seconds written as milliseconds?)", pc.less(event_ms, YEAR_2000_MS)),
            (
                "interaction after the year 9999 (microseconds written as milliseconds?)",
                pc.greater_equal(event_ms, YEAR_10000_MS),
            ),
        ],
        len(others),
        rejected,
    )
    return (
        _plays(played.filter(keep_plays), ms.filter(keep_plays)),
        _renamed(_table(_first_seen(records, "userId"), tuple(USER_COLUMNS.values())), USER_COLUMNS),
        _renamed(_table(_first_seen(records, "songId"), tuple(TRACK_COLUMNS.values())), TRACK_COLUMNS),
        _renamed(_with_event_ids(others.filter(keep_others)), INTERACTION_COLUMNS),
    )


def _with_event_ids(others: pa.Table) -> pa.Table:
    """Interactions with an event id each: v1 records have none, so theirs is derived from what
    the event is (listener, time, type, track), and the same event read twice keeps one id."""
    ids = others["eventId"]
    if not ids.null_count:
        return others
    identity = pc.binary_join_element_wise(
        others["userId"],
        pc.cast(pc.cast(others["eventTime"], pa.int64()), pa.string()),
        others["activityType"],
        pc.coalesce(others["songId"], ""),
        "\x1f",
    )
    derived = pa.array([None if v is None else "v1-" + md5(v.encode()).hexdigest() for v in identity.to_pylist()])
    return others.set_column(others.schema.get_field_index("eventId"), "eventId", pc.coalesce(ids, derived))


def _plays(played: pa.Table, ms: pa.Array) -> pa.Table:
    n = len(played)
    skipped = pc.equal(played["activityType"], "SKIP")
    # The simulator's ids are 22-character base-62 Spotify ids, but a catalog CSV's track_id is
    # written as found, so a URI can hold an id that is not base-62: it still names the track.
    uri = pc.binary_join_element_wise("spotify:track:", played["songId"], "")  # null songId: null URI
    given = {
        "ended_at": played["endTime"].cast(UTC_MS),
        "ms_played": ms,
        "minute_precision": pa.repeat(False, n),
        "media": pa.repeat("music", n),
        "is_video": pa.repeat(False, n),
        "track_name": played["song"],
        "artist_name": played["artist"],
        "album_name": played["album"],
        "track_uri": uri,
        "reason_end": pc.if_else(skipped, "fwdbtn", "trackdone"),
        "skipped": skipped,
        "incognito_mode": pa.repeat(False, n),
        "platform": pc.utf8_lower(played["deviceType"]),
        "conn_country": played["country"],
    }
    columns = {name: given.get(name, pa.nulls(n, kind)) for name, kind in PLAY_COLUMNS.items()}
    columns["listener"] = played["userId"]
    return pa.table(columns, schema=_play_schema())


def _renamed(table: pa.Table, columns: dict[str, str]) -> pa.Table:
    return table.rename_columns(list(columns))


def _first_rows(table: pa.Table, key: str) -> pa.Table:
    """One row per distinct non-null key, the first one seen."""
    table = table.filter(pc.is_valid(table[key]))
    codes = table[key].combine_chunks().dictionary_encode().indices.to_numpy()
    _, first = np.unique(codes, return_index=True)
    return table.take(np.sort(first))


@cache
def _play_schema() -> pa.Schema:
    return pa.schema([*PLAY_COLUMNS.items(), ("listener", pa.string())])


def _schema(columns: dict[str, str]) -> pa.Schema:
    return pa.schema([(out, EVENT_FIELDS[src]) for out, src in columns.items()])


def _concat(tables: list[pa.Table], schema: pa.Schema) -> pa.Table:
    return pa.concat_tables(tables).combine_chunks() if tables else schema.empty_table()
