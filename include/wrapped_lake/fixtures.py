"""Synthetic Spotify exports of every era and quirk (never real personal data), with their truth.

The generator knows which plays are real, so tests and the demo can check the lake's figures
against it: `truth.plays` is what must land, once each, however the exports repeat it.
"""

from __future__ import annotations

import io
import os
import random
import time
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from wrapped_lake.reports.windows import spotify_cutoff

EXTENDED_DIR = "Spotify Extended Streaming History"
ACCOUNT_DIR = "Spotify Account Data"
COARSE_PLATFORM_FROM = datetime(2023, 10, 19, tzinfo=UTC)
IP_RENAMED_FROM = datetime(2024, 11, 1, tzinfo=UTC)
AUDIOBOOK_FIELDS_FROM = datetime(2025, 1, 1, tzinfo=UTC)
REASONS_END = ["trackdone"] * 6 + ["fwdbtn"] * 3 + ["endplay", "backbtn", "logout", "unexpected-exit", ""]
REASONS_START = ["trackdone"] * 6 + ["clickrow", "fwdbtn", "backbtn", "playbtn", "appload", "remote", None]
ODD_NAMES = ['Déjà Vu, "Live"', "Line\nBreak", "Ünïcødé 東京", "Rock 'n' Roll", "1999", "Comma, Inc."]


@dataclass(frozen=True)
class Play:
    """One real play as the generator made it."""

    ts: datetime
    ms: int
    media: str  # music, podcast, audiobook, unattributed
    artist: str | None = None
    track: str | None = None
    album: str | None = None
    uri: str | None = None
    show: str | None = None
    episode: str | None = None
    incognito: bool = False
    video: bool = False


@dataclass
class Truth:
    """What the lake must end up with for one listener."""

    listener: str
    plays: list[Play] = field(default_factory=list)

    def ms_by_year(self) -> dict[int, int]:
        totals: Counter = Counter()
        for play in self.plays:
            totals[play.ts.year] += play.ms
        return dict(totals)

    def count_by_media(self) -> dict[str, int]:
        return dict(Counter(p.media for p in self.plays))

    def last_whole_year(self) -> int:
        """The last year with plays in December: the year a Wrapped of this history is about."""
        return max(p.ts.year for p in self.plays if p.ts.month == 12)


class _Catalog:
    def __init__(self, rng: random.Random, artists: int = 60, tracks_per_artist: int = 8) -> None:
        syllables = ["ka", "lo", "mi", "ra", "te", "vo", "zu", "ne", "sha", "dor", "el", "qui"]
        self.tracks = []
        for a in range(artists):
            artist = (
                ODD_NAMES[a]
                if a < len(ODD_NAMES)
                else " ".join(
                    "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).title() for _ in range(2)
                )
            )
            album = f"{artist} LP {a % 3 + 1}"
            for t in range(tracks_per_artist):
                track = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).title() + f" {t}"
                uri = "spotify:track:" + "".join(
                    rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789") for _ in range(22)
                )
                self.tracks.append((artist, track, album, uri))
        self.shows = [(f"Show {s}", [f"Episode {s}.{e}" for e in range(20)]) for s in range(5)]


def make_plays(rng: random.Random, start: datetime, end: datetime, count: int) -> list[Play]:
    """Plays spread over [start, end), mostly music, with every kind of odd row the format has."""
    catalog = _Catalog(rng)
    span = (end - start).total_seconds()
    plays = []
    for _ in range(count):
        ts = start + timedelta(seconds=int(rng.random() * span))
        roll = rng.random()
        ms = rng.choice([0, rng.randint(1, 29_999), rng.randint(30_000, 400_000), rng.randint(30_000, 400_000)])
        incognito = rng.random() < 0.02
        if roll < 0.85:
            artist, track, album, uri = rng.choice(catalog.tracks)
            plays.append(Play(ts, ms, "music", artist, track, album, uri, incognito=incognito))
        elif roll < 0.95:
            show, episodes = rng.choice(catalog.shows)
            plays.append(Play(ts, ms, "podcast", show=show, episode=rng.choice(episodes), incognito=incognito))
        else:
            plays.append(Play(ts, ms, "unattributed"))
    # Same timestamp, different tracks (offline sync).
    if len(plays) > 2:
        plays.append(Play(plays[0].ts, 123_456, "music", *catalog.tracks[1]))
    plays.sort(key=lambda p: (p.ts, p.ms, p.track or p.episode or ""))
    return _unique(plays)


def _unique(plays: list[Play]) -> list[Play]:
    seen, out = set(), []
    for play in plays:
        key = (play.ts, play.ms, play.uri, play.artist, play.track, play.show, play.episode, play.video)
        if key not in seen:
            seen.add(key)
            out.append(play)
    return out


def extended_record(play: Play) -> dict:
    """The JSON object Spotify writes for a play, in the shape of the play's era."""
    ts = play.ts
    detailed = ts < COARSE_PLATFORM_FROM
    record: dict = {"ts": ts.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if ts < IP_RENAMED_FROM:
        record["username"] = "synthetic-user"
    record["platform"] = "Android OS 10 API 29 (Google, Pixel 3a)" if detailed else "android"
    record["ms_played"] = play.ms
    record["conn_country"] = "DE"
    if ts < IP_RENAMED_FROM:
        record["ip_addr_decrypted"] = "192.0.2.10"
        record["user_agent_decrypted"] = "unknown"
    else:
        record["ip_addr"] = "2001:db8::1"
    record.update(
        {
            "master_metadata_track_name": play.track,
            "master_metadata_album_artist_name": play.artist,
            "master_metadata_album_album_name": play.album,
            "spotify_track_uri": play.uri,
            "episode_name": play.episode,
            "episode_show_name": play.show,
            "spotify_episode_uri": f"spotify:episode:{zlib.crc32(play.episode.encode()):022d}"
            if play.episode
            else None,
        }
    )
    if ts >= AUDIOBOOK_FIELDS_FROM:
        record.update(
            {
                "audiobook_title": None,
                "audiobook_uri": None,
                "audiobook_chapter_uri": None,
                "audiobook_chapter_title": None,
            }
        )
    record.update(
        {
            "reason_start": REASONS_START[(play.ms + ts.minute) % len(REASONS_START)],
            "reason_end": REASONS_END[(play.ms + ts.second) % len(REASONS_END)],
            "shuffle": play.ms % 2 == 0,
            "skipped": None
            if ts.year < 2015
            else (False if ts < datetime(2022, 10, 17, tzinfo=UTC) else play.ms < 30_000),
            "offline": False,
            "offline_timestamp": int(ts.timestamp()) if play.ms % 3 else 0,
            "incognito_mode": play.incognito,
        }
    )
    return record


def account_record(play: Play) -> dict:
    """The account-data (last year) object for a play: minute precision, names only."""
    end_time = play.ts.strftime("%Y-%m-%d %H:%M")
    if play.media == "podcast":
        return {"endTime": end_time, "podcastName": play.show, "episodeName": play.episode, "msPlayed": play.ms}
    return {"endTime": end_time, "artistName": play.artist, "trackName": play.track, "msPlayed": play.ms}


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _json(obj) -> bytes:
    # Spotify writes indented JSON arrays; keep that shape so parsers meet the real layout.
    return orjson.dumps(obj, option=orjson.OPT_INDENT_2)


def extended_files(plays: list[Play], per_file: int, legacy: bool = False) -> dict[str, bytes]:
    """Extended-history files as named inside the ZIP (legacy: MyData/endsong_N.json)."""
    audio = [p for p in plays if not p.video]
    video = [p for p in plays if p.video]
    files = {}
    for n, chunk in enumerate(_chunks(audio, per_file)):
        if legacy:
            name = f"MyData/endsong_{n}.json"
        else:
            years = f"{chunk[0].ts.year}-{chunk[-1].ts.year}" if chunk else "2024"
            name = f"{EXTENDED_DIR}/Streaming_History_Audio_{years}_{n}.json"
        files[name] = _json([extended_record(p) for p in chunk])
    if video:
        name = "MyData/endvideo.json" if legacy else f"{EXTENDED_DIR}/Streaming_History_Video_2019-2025.json"
        files[name] = _json([extended_record(p) for p in video])
    files[f"{EXTENDED_DIR}/ReadMeFirst_ExtendedStreamingHistory.pdf"] = b"%PDF-1.4 synthetic readme\n"
    return files


def account_files(
    plays: list[Play], catalog_plays: list[Play], mixed: bool = False, wrapped: dict[int, dict] | None = None
) -> dict[str, bytes]:
    """Account-data files: history, library, playlists, searches, raw-only personal files and Spotify's
    Wrapped (`wrapped` by year; without it a Wrapped2025.json with no figures, as some exports hold)."""
    folder = "MyData" if mixed else ACCOUNT_DIR
    music = [account_record(p) for p in plays if p.media == "music"]
    podcast = [account_record(p) for p in plays if p.media == "podcast"]
    if mixed:
        # Before ~2023 one StreamingHistoryN.json held podcasts too: show in artistName.
        rows = [
            account_record(p)
            if p.media == "music"
            else {
                "endTime": p.ts.strftime("%Y-%m-%d %H:%M"),
                "artistName": p.show,
                "trackName": p.episode,
                "msPlayed": p.ms,
            }
            for p in plays
            if p.media in ("music", "podcast")
        ]
        files = {f"{folder}/StreamingHistory{n}.json": _json(chunk) for n, chunk in enumerate(_chunks(rows, 5000))}
    else:
        files = {
            f"{folder}/StreamingHistory_music_{n}.json": _json(chunk) for n, chunk in enumerate(_chunks(music, 5000))
        }
        files[f"{folder}/StreamingHistory_podcast_0.json"] = _json(podcast)
    tracks = {(p.artist, p.track, p.album, p.uri) for p in catalog_plays if p.media == "music"}
    shows = sorted({p.show for p in catalog_plays if p.show})
    files[f"{folder}/YourLibrary.json"] = _json(
        {
            "tracks": [{"artist": a, "album": al, "track": t, "uri": u} for a, t, al, u in sorted(tracks)[:25]],
            "albums": [],
            "shows": [{"name": s, "publisher": "Synthetic Audio", "uri": None} for s in shows],
            "episodes": [],
            "bannedTracks": [],
            "artists": [{"name": a, "uri": None} for a, *_ in sorted(tracks)[:5]],
            "bannedArtists": [],
            "other": [],
        }
    )
    items = [
        {
            "track": {"trackName": t, "artistName": a, "albumName": al, "trackUri": u},
            "episode": None,
            "audiobook": None,
            "localTrack": None,
            "addedDate": "2024-05-01",
        }
        for a, t, al, u in sorted(tracks)[:10]
    ]
    items.append({"track": None, "episode": None, "audiobook": None, "localTrack": None})
    files[f"{folder}/Playlist1.json"] = _json(
        {
            "playlists": [
                {
                    "name": "Road Trip",
                    "lastModifiedDate": "2024-06-01",
                    "collaborators": [],
                    "description": "Songs &amp; snacks",
                    "numberOfFollowers": 3,
                    "items": items,
                }
            ]
        }
    )
    files[f"{folder}/SearchQueries.json"] = _json(
        [
            {
                "platform": "ANDROID",
                "searchTime": "2025-09-15T19:56:58.327Z[UTC]",
                "searchQuery": "déjà vu",
                "searchInteractionURIs": ["spotify:track:0000000000000000000001"],
            },
            {
                "platform": "IOS",
                "searchTime": "2025-09-16T08:00:00Z[UTC]",
                "searchQuery": "road",
                "searchInteractionURIs": [],
            },
        ]
    )
    files[f"{folder}/Userdata.json"] = _json({"username": "synthetic-user", "email": "nobody@example.invalid"})
    files[f"{folder}/Payments.json"] = _json({"payment_method": "synthetic", "country": "DE"})
    for year, document in (wrapped or {2025: {"topArtists": {"topArtists": []}}}).items():
        files[f"{folder}/Wrapped{year}.json"] = _json(document)
    return files


def spotify_wrapped_document(plays: list[Play], year: int) -> dict:
    """The WrappedYYYY.json Spotify would put in an export holding these plays, by its own rules
    (reports/windows.py): Jan 1 UTC to the year's cut-off, private sessions left out, minutes from music
    plays of 30 s or more and podcast plays of 60 s or more, days by UTC date (Wrapped 2023 and 2024).
    Ties go as the lake breaks them (top song: streams, then minutes, then name; biggest day: earliest)."""
    start, cutoff = datetime(year, 1, 1, tzinfo=UTC), spotify_cutoff(year)
    period = [p for p in plays if start <= p.ts < cutoff and not p.incognito]
    music = [p for p in period if p.media == "music" and p.ms >= 30_000]
    podcasts = [p for p in period if p.media == "podcast" and p.ms >= 60_000]
    day_ms: Counter = Counter()
    track_ms: Counter = Counter()
    artist_ms: Counter = Counter()
    show_ms: Counter = Counter()
    for p in music:
        day_ms[p.ts.date()] += p.ms
        track_ms[p.uri] += p.ms
        artist_ms[p.artist] += p.ms
    for p in podcasts:
        day_ms[p.ts.date()] += p.ms
        show_ms[p.show] += p.ms
    day = max(day_ms, key=lambda d: (day_ms[d], -d.toordinal()))
    streams = Counter(p.uri for p in music)
    names = {p.uri: p.track for p in music}
    ranked = sorted(streams, key=lambda uri: (-streams[uri], -track_ms[uri], names[uri], uri))
    first_played = min(p.ts for p in period if p.uri == ranked[0]).date()
    return {
        "year": year,
        "yearlyMetrics": {
            "totalMsListened": sum(day_ms.values()),
            "mostListenedDay": day.isoformat(),
            "mostListenedDayMinutes": round(day_ms[day] / 60_000, 2),
        },
        "topTracks": {
            "topTracks": ranked[:5],
            "topTrackPlayCount": streams[ranked[0]],
            "topTrackFirstPlayedDate": first_played.isoformat(),
            "distinctTracksPlayed": len(streams),
        },
        "topArtists": {
            "topArtists": [_artist_uri(name) for name, _ in artist_ms.most_common(5)],
            "numUniqueArtists": len(artist_ms),
        },
        "topPodcasts": {
            "topPodcastMilliseconds": max(show_ms.values(), default=0),
            "totalPodcastMilliseconds": sum(show_ms.values()),
        },
    }


def _artist_uri(name: str) -> str:
    return f"spotify:artist:{zlib.crc32(name.encode()):022d}"


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@dataclass
class ExportSet:
    """A listener's drop: the files (relative name -> bytes) and what must land."""

    files: dict[str, bytes]
    truth: Truth


def full_history(
    listener: str = "alice", seed: int = 7, plays: int = 3000, per_file: int = 800, spotify_wrapped: bool = False
) -> ExportSet:
    """Every era and quirk for one listener: a legacy endsong export, a current extended export that
    re-exports the same history and more, a re-download, exact duplicate rows, video files and an
    account-data package overlapping the extended history plus a month beyond it; with spotify_wrapped,
    the package holds Spotify's own Wrapped of the last whole year, with its figures."""
    rng = random.Random(seed)
    history = make_plays(rng, datetime(2014, 6, 1, tzinfo=UTC), datetime(2025, 6, 1, tzinfo=UTC), plays)
    videos = [
        Play(p.ts + timedelta(seconds=7), p.ms, p.media, p.artist, p.track, p.album, p.uri, video=True)
        for p in history[::97]
        if p.media == "music"
    ]
    beyond = make_plays(rng, datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 7, 1, tzinfo=UTC), 120)
    # Account data covers the last 12 months: partly inside the extended history, partly beyond it.
    recent = [p for p in history if p.ts >= datetime(2024, 7, 1, tzinfo=UTC) and p.media != "unattributed"]
    recent_plus = recent + [p for p in beyond if p.media != "unattributed"]
    legacy_part = [p for p in history if p.ts < datetime(2023, 1, 1, tzinfo=UTC)]
    duplicated = history + history[:50]  # exact duplicate rows inside one export
    files: dict[str, bytes] = {}
    files["endsong_export.zip"] = zip_bytes(extended_files(legacy_part, per_file, legacy=True))
    current = zip_bytes(extended_files(sorted(duplicated + videos, key=lambda p: p.ts), per_file))
    files["my_spotify_data.zip"] = current
    files["my_spotify_data (1).zip"] = current  # the same export downloaded twice
    truth_plays = _unique(history + videos + [p for p in beyond if p.media != "unattributed"])
    # Private-session plays are stored too (left out of Wrapped figures later), so they are in the truth.
    truth = Truth(listener, sorted(truth_plays, key=lambda p: p.ts))
    wrapped = None
    if spotify_wrapped:
        year = truth.last_whole_year()
        wrapped = {year: spotify_wrapped_document(truth.plays, year)}
    files["account/my_spotify_data.zip"] = zip_bytes(account_files(recent_plus, history, wrapped=wrapped))
    return ExportSet(files, truth)


def bad_inputs() -> dict[str, bytes]:
    """Every kind of bad input the lake must quarantine, each with a short name."""
    good_row = {"ts": "2024-01-01T10:00:00Z", "ms_played": 1000, "master_metadata_track_name": "x"}
    truncated = _json([good_row, good_row])[:-20]
    escape = io.BytesIO()
    with zipfile.ZipFile(escape, "w") as archive:
        archive.writestr("../../etc/evil.json", b"[]")
    absolute = io.BytesIO()
    with zipfile.ZipFile(absolute, "w") as archive:
        archive.writestr("/tmp/evil.json", b"[]")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "Spotify Extended Streaming History/Streaming_History_Audio_2024.json", b"[" + b" " * (64 << 20) + b"]"
        )
    mixed = io.BytesIO()
    with zipfile.ZipFile(mixed, "w") as archive:
        archive.writestr(
            "Spotify Account Data/StreamingHistory_music_0.json",
            _json([{"endTime": "2024-02-02 10:00", "artistName": "A", "trackName": "T", "msPlayed": 5000}]),
        )
        archive.writestr("Spotify Account Data/StreamingHistory_music_1.json", b'[{"endTime": "2024-02-0')
    damaged, entry = io.BytesIO(), "Spotify Extended Streaming History/Streaming_History_Audio_2024.json"
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry, _json([good_row] * 500))
    damaged = bytearray(damaged.getvalue())
    start = 30 + len(entry)
    damaged[start : start + 40] = bytes(40)  # the deflate stream, not the headers
    return {
        "truncated.json": truncated,
        "latin1.json": '[{"endTime": "2024-01-01 10:00", "artistName": "Beyoncé"}]'.encode("latin-1"),
        "not_an_export.json": _json({"hello": "world"}),
        "empty.json": b"",
        "broken.zip": b"PK\x03\x04 this is not really a zip",
        "escape.zip": escape.getvalue(),
        "absolute.zip": absolute.getvalue(),
        "bomb.zip": bomb.getvalue(),
        "partly_bad.zip": mixed.getvalue(),
        "damaged.zip": bytes(damaged),
        "bad_rows.json": _json(
            [
                good_row,
                {"ts": "yesterday", "ms_played": 5, "master_metadata_track_name": "y"},
                {"ts": "2024-13-45T99:00:00Z", "ms_played": 5},
                {"ms_played": 5},
            ]
        ),
    }


def write_files(root: Path, files: dict[str, bytes]) -> list[Path]:
    """Drop files as a finished copy would leave them: dated an hour back, so an inbox scan takes
    them at once and a broken one is quarantined rather than waited for (ingest/discover.py)."""
    paths = []
    finished = time.time() - 3600
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, (finished, finished))
        paths.append(path)
    return paths
