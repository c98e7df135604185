"""Read Spotify "Download your data" files: detect the kind from content, parse to Arrow tables."""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from wrapped_lake.platform.errors import InputError
from wrapped_lake.readers import spotify_wrapped
from wrapped_lake.readers.plays import PLAY_COLUMNS, empty_plays, keep_plausible, latest_plausible_end, without_nul

# Personal files: kept as raw bytes, never parsed into tables.
PERSONAL_NAMES = re.compile(r"^(Payments|UserAddress)\b", re.IGNORECASE)
# Known account-data files that have no curated table (yet): kept raw, never called "not a
# Spotify export", whatever their content looks like this year.
RAW_ONLY_NAMES = re.compile(
    r"^(Userdata|UserAttributes|Identity|Identifiers|Inferences|Marquee|Follow|Wrapped\d{4}|"
    r"YourSoundCapsule|SoundCapsule|StreamingHistory_video|DuoNewFamily|FamilyPlan|CustomerServiceHistory|"
    r"ReadMeFirst|Read Me First|YourVoice|VoiceInput|Voice|Podcast|Messages|MessageData|Capsule|"
    r"ConnectedDevices|Devices|Ads|Recommendations|Interactions|Concert|Partner|Playback|Chat|"
    r"YourAudiobooks|Audiobook|Socials|Blend|Jam|Lyrics|Notifications)",
    re.IGNORECASE,
)
# Files in these package folders are Spotify's own: an unknown one is kept raw, not quarantined.
SPOTIFY_FOLDERS = ("/Spotify Account Data/", "/MyData/", "/Spotify Extended Streaming History/")
TECHNICAL_FOLDER = "Spotify Technical Log Information"
# Spotify's own Wrapped (WrappedYYYY.json) is recognised by these top-level sections; the document
# is kept whole but for fields that fail its schema (curated.spotify_wrapped, readers/spotify_wrapped.py)
# and its figures are read from it in SQL.
WRAPPED_SECTIONS = frozenset({"yearlyMetrics", "topTracks", "topArtists", "topPodcasts"})

# Extended-history key -> curated column. ip_addr*, user_agent_decrypted and username are
# deliberately absent: personal identifiers never leave the raw zone.
EXTENDED_KEYS = {
    "master_metadata_track_name": "track_name",
    "master_metadata_album_artist_name": "artist_name",
    "master_metadata_album_album_name": "album_name",
    "spotify_track_uri": "track_uri",
    "episode_name": "episode_name",
    "episode_show_name": "show_name",
    "spotify_episode_uri": "episode_uri",
    "audiobook_title": "audiobook_title",
    "audiobook_uri": "audiobook_uri",
    "audiobook_chapter_title": "chapter_title",
    "audiobook_chapter_uri": "chapter_uri",
    "reason_start": "reason_start",
    "reason_end": "reason_end",
    "shuffle": "shuffle",
    "skipped": "skipped",
    "offline": "offline",
    "incognito_mode": "incognito_mode",
    "platform": "platform",
    "conn_country": "conn_country",
}

EXTENDED_READ_SCHEMA = pa.schema(
    [
        pa.field(
            "r",
            pa.list_(
                pa.struct(
                    [("ts", pa.string()), ("ms_played", pa.int64())]
                    + [(key, PLAY_COLUMNS[column]) for key, column in EXTENDED_KEYS.items()]
                )
            ),
        )
    ]
)

# "Absurdly long values occur" in ms_played: one beyond 64 bits is an unreadable value (the row is
# rejected), one longer than a day is refused by readers.plays.keep_plausible.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

# Account-data history: which keys hold the two names, and what kind of play each file holds.
ACCOUNT_SHAPES = {
    "account_music": ("artistName", "trackName", "music", "artist_name", "track_name"),
    "account_podcast": ("podcastName", "episodeName", "podcast", "show_name", "episode_name"),
    "account_audiobook": ("audiobookName", "chapterName", "audiobook", "audiobook_title", "chapter_title"),
}


@dataclass
class Parsed:
    """What one file turned into: its kind, the target dataset and rows, and rows it had to drop."""

    kind: str
    dataset: str | None = None
    table: pa.Table | None = None
    rows_read: int = 0
    rejected: Counter = field(default_factory=Counter)

    @property
    def source(self) -> str | None:
        """Which package the plays come from, as stored in curated.plays.source."""
        if self.dataset != "plays":
            return None
        return "extended" if self.kind.startswith("extended") or self.kind == "empty_history" else "account"


def read_export(name: str, data: bytes) -> Parsed:
    """Parse one export file; raises InputError (with a plain-words reason) for files to quarantine."""
    path = PurePosixPath(name.split("!/")[-1])
    stem = path.stem
    if TECHNICAL_FOLDER in name:
        return Parsed(kind="technical_log")
    if PERSONAL_NAMES.match(stem):
        return Parsed(kind="personal")
    if path.suffix.lower() != ".json":
        if not data:
            raise InputError("empty file", kind="unknown")
        return Parsed(kind="other")
    if spotify_wrapped.NAME.match(stem):
        spotify_wrapped.check_size(len(data))  # before parsing: a huge one must not be decoded at all
    parsed = _fast_extended(data, video="video" in stem.lower())
    if parsed is None:
        doc = load_json(data)
        if isinstance(doc, dict) and WRAPPED_SECTIONS & set(doc):
            return _parse_wrapped(stem, doc, len(data))
        if RAW_ONLY_NAMES.match(stem) and not _looks_like_history(doc):
            return Parsed(kind="account_other")
        try:
            parsed = _parse_document(stem, doc)
        except InputError:
            if any(folder in f"/{name}" for folder in SPOTIFY_FOLDERS):
                return Parsed(kind="account_other")
            raise
    if parsed.table is not None and b"\\u0000" in data:  # JSON can only spell NUL as an escape
        parsed.table = without_nul(parsed.table)
    return parsed


def _parse_wrapped(stem: str, doc: dict, size: int) -> Parsed:
    """Spotify's Wrapped for one year, checked against its schema; kept raw only without a year."""
    checked = spotify_wrapped.check(stem, doc, size)
    if checked is None:
        return Parsed(kind="account_other")
    table = pa.table(
        {
            "year": pa.array([checked.year], pa.int32()),
            "document": [checked.document],
            "rejected_fields": [orjson.dumps(checked.rejected_fields).decode()],
        }
    )
    return Parsed(kind="spotify_wrapped", dataset="spotify_wrapped", table=table, rows_read=1)


def load_json(data: bytes):
    """Decode a JSON document, turning every failure into a reason a person can act on."""
    if not data.strip():
        raise InputError("empty file: no JSON content", kind="unknown")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise InputError(
                f"not UTF-8 text: invalid byte 0x{data[bad.start]:02x} at byte {bad.start}",
                kind="unknown",
            ) from None
        if exc.pos >= len(data.rstrip()) - 1:
            reason = f"truncated JSON: the document ends early (line {exc.lineno}, column {exc.colno})"
        else:
            reason = f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise InputError(reason, kind="unknown") from None


def _looks_like_history(doc) -> bool:
    return isinstance(doc, list) and bool(doc) and isinstance(doc[0], dict) and ("ts" in doc[0] or "endTime" in doc[0])


def _parse_document(stem: str, doc) -> Parsed:
    if isinstance(doc, list):
        sample = [r for r in doc[:50] if isinstance(r, dict)]
        keys = set().union(*sample) if sample else set()
        if not doc:
            return Parsed(kind="empty_history", dataset="plays", table=empty_plays())
        if "ts" in keys and ("ms_played" in keys or "spotify_track_uri" in keys):
            video = "video" in stem.lower()
            return _parse_extended(doc, video)
        if "endTime" in keys:
            for kind, (name_a, *_rest) in ACCOUNT_SHAPES.items():
                if name_a in keys:
                    mixed = kind == "account_music" and re.match(r"^StreamingHistory\d*$", stem)
                    return _parse_account("account_mixed" if mixed else kind, doc)
        if "searchTime" in keys:
            return _parse_searches(doc)
        if {"artistName", "segment"} <= keys:
            return Parsed(kind="account_other")
    elif isinstance(doc, dict):
        if "playlists" in doc:
            return _parse_playlists(doc)
        if {"tracks", "albums"} & set(doc) and {"shows", "artists", "episodes"} & set(doc):
            return _parse_library(doc)
    raise InputError(
        "JSON that is not a Spotify export: no listening history, library, playlist or search records found",
        kind="unknown",
    )


def _column(rows: list[dict], key: str, arrow_type: pa.DataType) -> pa.Array:
    """One column as Arrow; values of the wrong JSON type become null rather than failing the file."""
    values = [r.get(key) for r in rows]
    try:
        return pa.array(values, arrow_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
        kinds = {pa.string(): str, pa.bool_(): bool, pa.int64(): int}[arrow_type]
        return pa.array([v if type(v) is kinds and _fits(v) else None for v in values], arrow_type)


def _fits(value) -> bool:
    """Whether a JSON value fits its Arrow column: integers beyond 64 bits (2**63 + 5) do not."""
    return type(value) is not int or INT64_MIN <= value <= INT64_MAX


def _objects(doc: list, rejected: Counter) -> list[dict]:
    rows = [r for r in doc if type(r) is dict]
    if len(rows) != len(doc):
        rejected["not a JSON object"] += len(doc) - len(rows)
    return rows


def _parse_time(raw: pa.Array, fmt: str) -> pa.Array:
    """UTC times, null where missing or unparseable."""
    return pc.strptime(raw, format=fmt, unit="ms", error_is_null=True).cast(pa.timestamp("ms", tz="UTC"))


def _play_problems(raw_time: pa.Array, cols: dict[str, pa.Array]) -> list[tuple[str, pa.Array]]:
    """What a reader can see wrong in a play's own fields, in the order a row is blamed for them."""
    return [
        ("missing timestamp", pc.is_null(raw_time)),
        ("unparseable timestamp", pc.is_null(cols["ended_at"])),
        ("missing or non-numeric ms_played", pc.is_null(cols["ms_played"])),
        ("negative ms_played", pc.less(cols["ms_played"], 0)),
    ]


def _timestamps(raw: pa.Array, fmt: str, rejected: Counter) -> pa.Array:
    parsed = _parse_time(raw, fmt)
    missing = raw.null_count
    bad = parsed.null_count - missing
    if missing:
        rejected["missing timestamp"] += missing
    if bad:
        rejected["unparseable timestamp"] += bad
    return parsed


def _blank_to_null(arr: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def _parse_extended(doc: list, video: bool) -> Parsed:
    rejected: Counter = Counter()
    rows = _objects(doc, rejected)

    def field(key: str) -> pa.Array:
        return _column(rows, key, EXTENDED_READ_SCHEMA.field("r").type.value_type.field(key).type)

    return _extended_table(field, len(rows), len(doc), video, rejected)


def _fast_extended(data: bytes, video: bool) -> Parsed | None:
    """Extended history straight to Arrow with pyarrow's C++ JSON reader; None when the file needs the
    forgiving path (mixed value types, non-object rows, anything unusual)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"[") or b'"ts"' not in head or b'"ms_played"' not in head:
        return None
    # The reader wants top-level objects; wrapping the array in one object lets it parse the
    # whole file as a single row holding a list of records. The explicit schema keeps `ts` a
    # string (inference would make it a naive timestamp) and never reads the personal fields.
    wrapped = b'{"r":' + data.lstrip(b"\xef\xbb\xbf") + b"}"
    try:
        table = pajson.read_json(
            io.BytesIO(wrapped),
            # One block is one parse; the thread pool only adds hand-offs (~12% more CPU, measured).
            read_options=pajson.ReadOptions(block_size=len(wrapped) + 1, use_threads=False),
            parse_options=pajson.ParseOptions(
                explicit_schema=EXTENDED_READ_SCHEMA, newlines_in_values=True, unexpected_field_behavior="ignore"
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    records = table.column("r").chunk(0).values
    return _extended_table(records.field, len(records), len(records), video, Counter())


def _extended_table(field, n: int, rows_read: int, video: bool, rejected: Counter) -> Parsed:
    """Curated play columns from extended-history columns; `field(key)` gives one column."""
    ts, ms = field("ts"), field("ms_played")
    cols = {"ended_at": _parse_time(ts, "%Y-%m-%dT%H:%M:%SZ"), "ms_played": ms}
    for key, column in EXTENDED_KEYS.items():
        cols[column] = field(key)
    for column in ("reason_start", "reason_end", "platform", "conn_country"):
        cols[column] = _blank_to_null(cols[column])
    cols["minute_precision"] = pa.array([False] * n, pa.bool_())
    cols["is_video"] = pa.array([video] * n, pa.bool_())
    cols["media"] = _media(cols)
    table = keep_plausible(
        pa.table({k: cols[k] for k in PLAY_COLUMNS}), rejected, latest_plausible_end(), _play_problems(ts, cols)
    )
    return Parsed(
        kind="extended_video" if video else "extended_audio",
        dataset="plays",
        table=table,
        rows_read=rows_read,
        rejected=rejected,
    )


def _media(cols: dict[str, pa.Array]) -> pa.Array:
    def present(*names):
        mask = pc.is_valid(cols[names[0]])
        for name in names[1:]:
            mask = pc.or_(mask, pc.is_valid(cols[name]))
        return mask

    return pc.case_when(
        pc.make_struct(
            present("track_uri", "track_name"),
            present("episode_uri", "episode_name", "show_name"),
            present("audiobook_uri", "audiobook_title", "chapter_uri", "chapter_title"),
            field_names=["music", "podcast", "audiobook"],
        ),
        "music",
        "podcast",
        "audiobook",
        "unattributed",
    )


def _parse_account(kind: str, doc: list) -> Parsed:
    rejected: Counter = Counter()
    rows = _objects(doc, rejected)
    shape = "account_music" if kind == "account_mixed" else kind
    key_a, key_b, media, col_a, col_b = ACCOUNT_SHAPES[shape]
    n = len(rows)
    cols: dict[str, pa.Array] = {name: pa.nulls(n, arrow_type) for name, arrow_type in PLAY_COLUMNS.items()}
    end_time = _column(rows, "endTime", pa.string())
    cols["ended_at"] = _parse_time(end_time, "%Y-%m-%d %H:%M")
    cols["ms_played"] = _column(rows, "msPlayed", pa.int64())
    cols[col_a] = _column(rows, key_a, pa.string())
    cols[col_b] = _column(rows, key_b, pa.string())
    named = pc.or_(pc.is_valid(cols[col_a]), pc.is_valid(cols[col_b]))
    cols["media"] = pc.if_else(named, media, "unattributed")
    cols["minute_precision"] = pa.array([True] * n, pa.bool_())
    cols["is_video"] = pa.array([False] * n, pa.bool_())
    table = keep_plausible(
        pa.table({k: cols[k] for k in PLAY_COLUMNS}), rejected, latest_plausible_end(), _play_problems(end_time, cols)
    )
    return Parsed(kind=kind, dataset="plays", table=table, rows_read=len(doc), rejected=rejected)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value != "" else None


LIBRARY_LISTS = {
    "tracks": "track",
    "albums": "album",
    "artists": "artist",
    "shows": "show",
    "episodes": "episode",
    "bannedTracks": "banned_track",
    "bannedArtists": "banned_artist",
    "other": "other",
}


def _parse_library(doc: dict) -> Parsed:
    rejected: Counter = Counter()
    out: dict[str, list] = {k: [] for k in ("item_type", "name", "artist_name", "album_name", "publisher", "uri")}
    read = 0
    for key, item_type in LIBRARY_LISTS.items():
        items = doc.get(key) or []
        if not isinstance(items, list):
            continue
        for item in items:
            read += 1
            if isinstance(item, str):
                item = {"name": item}
            if not isinstance(item, dict):
                rejected["not a JSON object"] += 1
                continue
            out["item_type"].append(item_type)
            out["name"].append(_text(item.get("track") or item.get("album") or item.get("name")))
            out["artist_name"].append(_text(item.get("artist")))
            out["album_name"].append(_text(item.get("album")) if item_type == "track" else None)
            out["publisher"].append(_text(item.get("publisher")))
            out["uri"].append(_text(item.get("uri")))
    table = pa.table({k: pa.array(v, pa.string()) for k, v in out.items()})
    return Parsed(kind="library", dataset="library_items", table=table, rows_read=read, rejected=rejected)


def _parse_playlists(doc: dict) -> Parsed:
    rejected: Counter = Counter()
    names = (
        "playlist_name",
        "last_modified",
        "description",
        "followers",
        "position",
        "item_type",
        "track_name",
        "artist_name",
        "album_name",
        "uri",
        "added_date",
    )
    out: dict[str, list] = {k: [] for k in names}
    read = 0
    for playlist in doc.get("playlists") or []:
        if not isinstance(playlist, dict) or not _text(playlist.get("name")):
            rejected["playlist without a name"] += 1
            continue
        description = _text(playlist.get("description"))
        followers = playlist.get("numberOfFollowers")
        for position, item in enumerate(playlist.get("items") or []):
            read += 1
            if not isinstance(item, dict):
                rejected["not a JSON object"] += 1
                continue
            item_type, track, artist, album, uri = _playlist_item(item)
            out["playlist_name"].append(playlist["name"])
            out["last_modified"].append(_text(playlist.get("lastModifiedDate")))
            out["description"].append(html.unescape(description) if description else None)
            out["followers"].append(followers if type(followers) is int else None)
            out["position"].append(position)
            out["item_type"].append(item_type)
            out["track_name"].append(track)
            out["artist_name"].append(artist)
            out["album_name"].append(album)
            out["uri"].append(uri)
            out["added_date"].append(_text(item.get("addedDate")))
    types = {"followers": pa.int32(), "position": pa.int32()}
    table = pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in out.items()})
    for column in ("last_modified", "added_date"):
        parsed = pc.strptime(table[column], format="%Y-%m-%d", unit="s", error_is_null=True)
        table = table.set_column(table.schema.get_field_index(column), column, parsed.cast(pa.date32()))
    return Parsed(kind="playlists", dataset="playlist_items", table=table, rows_read=read, rejected=rejected)


def _playlist_item(item: dict) -> tuple[str, str | None, str | None, str | None, str | None]:
    if isinstance(track := item.get("track"), dict):
        return (
            "track",
            _text(track.get("trackName")),
            _text(track.get("artistName")),
            _text(track.get("albumName")),
            _text(track.get("trackUri")),
        )
    if isinstance(episode := item.get("episode"), dict):
        return (
            "episode",
            _text(episode.get("episodeName")),
            _text(episode.get("showName")),
            None,
            _text(episode.get("episodeUri")),
        )
    if isinstance(book := item.get("audiobook"), dict):
        return ("audiobook", _text(book.get("audiobookName")), None, None, _text(book.get("audiobookUri")))
    if isinstance(local := item.get("localTrack"), dict):
        return (
            "local_track",
            _text(local.get("trackName") or local.get("uri")),
            _text(local.get("artistName")),
            _text(local.get("albumName")),
            None,
        )
    return ("empty", None, None, None, None)


def _parse_searches(doc: list) -> Parsed:
    rejected: Counter = Counter()
    rows = _objects(doc, rejected)
    raw = _column(rows, "searchTime", pa.string())
    # "2025-09-15T19:56:58.327Z[UTC]": drop the zone suffix, then parse with or without millis.
    cleaned = pc.replace_substring_regex(raw, r"\[.*\]$", "")
    cleaned = pc.replace_substring_regex(cleaned, r"(\.\d+)?Z$", "")
    searched_at = _timestamps(cleaned, "%Y-%m-%dT%H:%M:%S", rejected)
    uris = [r.get("searchInteractionURIs") for r in rows]
    uris = [[u for u in v if isinstance(u, str)] if isinstance(v, list) else None for v in uris]
    table = pa.table(
        {
            "searched_at": searched_at,
            "platform": _column(rows, "platform", pa.string()),
            "query": _column(rows, "searchQuery", pa.string()),
            "interaction_uris": pa.array(uris, pa.list_(pa.string())),
        }
    )
    table = table.filter(pc.is_valid(table["searched_at"]))
    return Parsed(kind="search_queries", dataset="search_queries", table=table, rows_read=len(doc), rejected=rejected)
