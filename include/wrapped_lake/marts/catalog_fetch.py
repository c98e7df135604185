"""Release dates, popularity and genres of export listeners' own tracks from Spotify's Web API (`catalog fetch`).

Real exports carry none of them, so without a catalog a listener's genres, newness and personality
stay null. This asks Spotify for the tracks the catalog lacks (Get Several Tracks, 50 ids a call)
and for their artists' genres (Get Several Artists, 50 a call) with the user's own app credentials
(client-credentials flow), keeps every answer in curated.spotify_api_tracks / _artists (a run
resumes where the last one stopped) and fills curated.catalog_tracks from them. Audio features are
not asked for: Spotify closed that endpoint to new apps in November 2024.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field

import psycopg
import requests
import spotipy
from spotipy.cache_handler import MemoryCacheHandler
from spotipy.exceptions import SpotifyException
from spotipy.oauth2 import SpotifyClientCredentials, SpotifyOauthError

from wrapped_lake.platform.db import query

CREDENTIALS = ("SPOTIPY_CLIENT_ID", "SPOTIPY_CLIENT_SECRET")  # the names spotipy itself reads
API_URL = "https://api.spotify.com/v1/"
TOKEN_URL = SpotifyClientCredentials.OAUTH_TOKEN_URL
BATCH = 50  # the most ids Get Several Tracks and Get Several Artists take
# A 429 is waited out as long as Spotify's Retry-After asks, up to this much in one run: Spotify
# has been seen answering Retry-After: 86400, and a run that sleeps a day looks like a hang.
MAX_RATE_LIMIT_WAIT_S = 300.0
# A dropped connection, a timeout or a 5xx is tried again after each of these pauses, then the run stops.
RECONNECT_WAITS_S = (0.5, 1.0, 2.0)
TIMEOUT_S = 10
SERVER_ERRORS = frozenset({500, 502, 503, 504})


class MissingCredentials(ValueError):
    """SPOTIPY_CLIENT_ID or SPOTIPY_CLIENT_SECRET is not set."""


class FetchStopped(RuntimeError):
    """The run stopped early (rate limit past the cap, connection lost, credentials refused); every
    answer stored before it is kept and the next run asks only for the rest."""

    result: FetchResult | None = None  # what the run did before it stopped


@dataclass
class FetchResult:
    """What a run asked and got, and each listener's share of streams the catalog now knows."""

    listeners: list[str]
    tracks_asked: int = 0
    tracks_found: int = 0
    tracks_not_found: int = 0
    artists_asked: int = 0
    artists_found: int = 0
    artists_with_genres: int = 0
    catalog_rows: int = 0
    rate_limit_wait_s: float = 0.0
    stream_coverage: dict[str, float | None] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


# (phase "tracks" or "artists", items done, items in the phase) after each stored batch.
Progress = Callable[[str, int, int], None]


def spotify_client(api_url: str | None = None, token_url: str | None = None) -> spotipy.Spotify:
    """A spotipy client on the client-credentials flow with the credentials from the environment;
    MissingCredentials naming the variables when one is unset. The token is kept in memory only."""
    missing = [name for name in CREDENTIALS if not os.environ.get(name)]
    if missing:
        raise MissingCredentials(
            f"catalog fetch needs your Spotify app's credentials: set {' and '.join(missing)}"
            " (from https://developer.spotify.com/dashboard)"
        )
    # spotipy logs the Basic credentials header and the token at DEBUG, and each refused call at
    # ERROR; this module says itself what happened, so its logger stays quiet.
    logging.getLogger("spotipy").setLevel(logging.CRITICAL)
    # A plain session: spotipy's own (urllib3 retries) sleeps any Retry-After without a cap and gives
    # up on a connection dropped mid-answer at once; _call below does both with a cap and a message.
    session = requests.Session()
    auth = SpotifyClientCredentials(
        requests_session=session, requests_timeout=TIMEOUT_S, cache_handler=MemoryCacheHandler()
    )
    auth.OAUTH_TOKEN_URL = token_url or TOKEN_URL
    client = spotipy.Spotify(auth_manager=auth, requests_session=session, requests_timeout=TIMEOUT_S)
    client.prefix = api_url or API_URL
    return client


def fetch_catalog(
    conn: psycopg.Connection,
    client: spotipy.Spotify,
    listeners: list[str] | None = None,
    *,
    progress: Progress | None = None,
) -> FetchResult:
    """Ask Spotify about the listeners' (default: every export listener's) tracks the catalog lacks
    and their artists, store each answer as it comes, and fill the catalog from every stored answer.
    FetchStopped when the run cannot go on; what it stored stays, and its result is on the error."""
    names = [row[0] for row in conn.execute(query("marts/catalog_fetch_listeners"), {"listeners": listeners})]
    unknown = sorted(set(listeners or ()) - set(names))
    if unknown:
        raise ValueError(
            f"no export of {', '.join(map(repr, unknown))} in the lake (wrapped-lake listeners lists them;"
            " simulated feed users have no catalog to fetch)"
        )
    result = FetchResult(names)
    fetcher = _Fetcher(client, result)
    try:
        uris = [row[0] for row in conn.execute(query("marts/catalog_fetch_tracks"), {"listeners": names})]
        result.tracks_asked = len(uris)
        for done, rows in fetcher.tracks(uris):
            _save(conn, "marts/catalog_fetch_save_track", rows)
            result.tracks_found += sum(row["status"] == "found" for row in rows)
            result.tracks_not_found += sum(row["status"] == "not_found" for row in rows)
            if progress:
                progress("tracks", done, len(uris))
        artist_ids = [row[0] for row in conn.execute(query("marts/catalog_fetch_artists"))]
        result.artists_asked = len(artist_ids)
        for done, rows in fetcher.artists(artist_ids):
            _save(conn, "marts/catalog_fetch_save_artist", rows)
            result.artists_found += sum(row["status"] == "found" for row in rows)
            result.artists_with_genres += sum(bool(row["genres"]) for row in rows)
            if progress:
                progress("artists", done, len(artist_ids))
    except FetchStopped as stop:
        stop.result = result
        raise
    finally:
        # Also after a stop: what was stored reaches the catalog now, not at the next run.
        result.catalog_rows = conn.execute(query("marts/catalog_fetch_merge")).fetchone()[0]
        result.stream_coverage = {
            listener: None if share is None else round(share, 4)
            for listener, share in conn.execute(query("marts/catalog_fetch_coverage"), {"listeners": names})
        }
    return result


def _save(conn: psycopg.Connection, name: str, rows: list[dict]) -> None:
    """One batch's answers in one transaction: a run killed mid-way keeps every whole batch."""
    with conn.transaction(), conn.cursor() as cursor:
        cursor.executemany(query(name), rows)


class _Fetcher:
    """Batches of ids asked of Spotify, each answer as rows for the cache; Get Track / Get Artist one
    id at a time once Spotify refuses the batch endpoint (403: Development Mode apps since March 2026)."""

    def __init__(self, client: spotipy.Spotify, result: FetchResult) -> None:
        self.client = client
        self.result = result
        self.one_by_one = False

    def tracks(self, uris: list[str]) -> Iterator[tuple[int, list[dict]]]:
        for done, answers in self._batches([uri.removeprefix("spotify:track:") for uri in uris], "track"):
            yield done, [_track_row(f"spotify:track:{track_id}", item) for track_id, item in answers]

    def artists(self, artist_ids: list[str]) -> Iterator[tuple[int, list[dict]]]:
        for done, answers in self._batches(artist_ids, "artist"):
            yield done, [_artist_row(artist_id, item) for artist_id, item in answers]

    def _batches(self, ids: list[str], kind: str) -> Iterator[tuple[int, list[tuple[str, dict | None]]]]:
        """(ids done, [(id, Spotify's object or None when it has none)]) per batch of BATCH ids."""
        several = self.client.tracks if kind == "track" else self.client.artists
        one = self.client.track if kind == "track" else self.client.artist
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            answer = None if self.one_by_one else self._call(lambda batch=batch: several(batch), batch_endpoint=True)
            if answer is None:
                self.one_by_one = True
                items = [self._call(lambda i=i: one(i), missing_ok=True) for i in batch]
            else:
                # Spotify answers in the order asked, null where an id names nothing.
                items = answer[f"{kind}s"]
            yield start + len(batch), list(zip(batch, items, strict=True))

    def _call(self, request: Callable[[], dict], *, batch_endpoint: bool = False, missing_ok: bool = False):
        """Spotify's answer, waiting out 429s (Retry-After, within the run's cap) and retrying lost
        connections and 5xx a few times; None for a refused batch endpoint (403) or, when
        `missing_ok`, an id Spotify does not know (404, 400 invalid id); else FetchStopped."""
        failures = 0
        while True:
            try:
                return request()
            except SpotifyException as exc:
                if exc.http_status == 429:
                    self._wait_out(exc)
                    continue
                if exc.http_status == 403 and batch_endpoint:
                    return None
                if exc.http_status in (400, 404) and missing_ok:
                    return None
                if exc.http_status in SERVER_ERRORS and failures < len(RECONNECT_WAITS_S):
                    time.sleep(RECONNECT_WAITS_S[failures])
                    failures += 1
                    continue
                raise FetchStopped(f"Spotify answered {exc.http_status}: {exc.msg.splitlines()[-1].strip()}") from exc
            except SpotifyOauthError as exc:
                raise FetchStopped(
                    f"Spotify refused the credentials in {' and '.join(CREDENTIALS)}: {exc.error_description or exc}"
                ) from exc
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                if failures == len(RECONNECT_WAITS_S):
                    raise FetchStopped(
                        f"lost the connection to Spotify ({failures + 1} tries: {type(exc).__name__}); every"
                        " answer stored so far is kept: run catalog fetch again to ask for the rest"
                    ) from exc
                time.sleep(RECONNECT_WAITS_S[failures])
                failures += 1

    def _wait_out(self, exc: SpotifyException) -> None:
        """Sleep the Retry-After of a 429, or stop when it would pass the run's cap."""
        headers = exc.headers or {}
        try:
            wait = max(float(headers.get("Retry-After", 1)), 0.0)
        except ValueError:  # an HTTP date instead of seconds: not Spotify's habit; wait a little
            wait = 1.0
        if self.result.rate_limit_wait_s + wait > MAX_RATE_LIMIT_WAIT_S:
            raise FetchStopped(
                f"Spotify's rate limit asks to wait {wait:.0f} s more, past this run's cap of"
                f" {MAX_RATE_LIMIT_WAIT_S:.0f} s; every answer stored so far is kept: run catalog fetch again later"
            ) from exc
        time.sleep(wait)
        self.result.rate_limit_wait_s += wait


def _track_row(uri: str, item: dict | None) -> dict:
    if item is None:
        return {"track_uri": uri, "status": "not_found"} | dict.fromkeys(
            ("track_name", "album_name", "artist_ids", "artist_names", "release_date", "release_date_precision",
             "popularity")
        )  # fmt: skip
    album = item.get("album") or {}
    artists = item.get("artists") or []
    return {
        "track_uri": uri,
        "status": "found",
        "track_name": item.get("name"),
        "album_name": album.get("name"),
        "artist_ids": [a.get("id") for a in artists],
        "artist_names": [a.get("name") for a in artists],
        "release_date": album.get("release_date"),
        "release_date_precision": album.get("release_date_precision"),
        # Absent for Development Mode apps since February 2026: stored as null, never guessed.
        "popularity": item.get("popularity"),
    }


def _artist_row(artist_id: str, item: dict | None) -> dict:
    if item is None:
        return {"artist_id": artist_id, "status": "not_found", "artist_name": None, "genres": None}
    return {"artist_id": artist_id, "status": "found", "artist_name": item.get("name"), "genres": item.get("genres")}
