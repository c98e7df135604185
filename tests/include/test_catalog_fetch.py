"""`catalog fetch`: Spotify's answers (replayed by a local server from tests/include/spotify_api/) fill the
catalog; runs resume, rate limits are waited out, dropped connections stop cleanly, nothing failed is marked missing."""

from __future__ import annotations

import copy
import csv
import json
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from wrapped_lake.cli import main
from wrapped_lake.marts import catalog_fetch
from wrapped_lake.marts.build import build
from wrapped_lake.marts.catalog import load_catalog
from wrapped_lake.marts.catalog_fetch import FetchStopped, fetch_catalog, spotify_client
from wrapped_lake.reports.publish import report_path, write_changed_reports
from wrapped_lake.reports.wrapped import wrapped

RECORDED = Path(__file__).parent / "spotify_api"
AIRBAG = "spotify:track:6TrackAirbag0000000000"  # art rock, 1997, popularity 61
SO_WHICH = "spotify:track:6TrackSoWhat000000000b"  # artists without genres, then cool jazz; 1959
UNDATED = "spotify:track:6TrackUndated00000000c"  # cool jazz; release date 0000
MISSING = "spotify:track:6TrackMissing00000000x"  # Spotify answers null


def recorded(name: str) -> dict:
    return json.loads((RECORDED / name).read_text())


class FakeSpotify:
    """Spotify's Web API answering from the recorded objects (null for an id it does not hold): the
    token endpoint, Get Several Tracks/Artists and Get Track/Artist. `script[kind]` lists what the
    next calls of tracks or artists get ("ok", "drop": the socket closed without an answer,
    "429:<seconds>"), then `after[kind]`; `refuse_batches` answers 403 to the batch endpoints."""

    def __init__(self) -> None:
        self.items = {
            "tracks": {t["id"]: t for t in recorded("tracks.json")["tracks"]},
            "artists": {a["id"]: a for a in recorded("artists.json")["artists"]},
        }
        self.script: dict[str, list[str]] = {"tracks": [], "artists": []}
        self.after = {"tracks": "ok", "artists": "ok"}
        self.refuse_batches = False
        self.calls: list[tuple[str, bool, list[str], str]] = []  # (kind, batch, ids, what it got)

    def add_tracks(self, ids: list[str]) -> None:
        """More tracks Spotify knows, shaped like the first recorded one."""
        for track_id in ids:
            track = copy.deepcopy(recorded("tracks.json")["tracks"][0])
            track.update(id=track_id, uri=f"spotify:track:{track_id}", name=f"Track {track_id}")
            self.items["tracks"][track_id] = track

    def asked(self, kind: str) -> list[str]:
        """Ids of every call of that kind that got an answer."""
        return [i for k, _, ids, got in self.calls if k == kind and got == "ok" for i in ids]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Spotify: a dropped socket is then a mid-run drop

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer(200, recorded("token.json"))

    def do_GET(self) -> None:
        api: FakeSpotify = self.server.api
        url = urlsplit(self.path)
        _, kind, *rest = url.path.strip("/").split("/")
        batch = not (rest and rest[0])
        ids = parse_qs(url.query)["ids"][0].split(",") if batch else [rest[0]]
        what = api.script[kind].pop(0) if api.script[kind] else api.after[kind]
        if batch and api.refuse_batches:
            what = "403"
        api.calls.append((kind, batch, ids, what))
        if what == "drop":
            self.close_connection = True
        elif what.startswith("429"):
            self._answer(429, recorded("rate_limited.json"), {"Retry-After": what.split(":")[1]})
        elif what == "403":
            self._answer(403, recorded("forbidden.json"))
        elif batch:
            self._answer(200, {kind: [api.items[kind].get(i) for i in ids]})
        elif ids[0] in api.items[kind]:
            self._answer(200, api.items[kind][ids[0]])
        else:
            self._answer(404, recorded("not_found.json"))

    def _answer(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in {
            "Content-Type": "application/json",
            "Content-Length": str(len(data)),
            **(headers or {}),
        }.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def spotify(monkeypatch):
    """A FakeSpotify on a local port, with spotipy's API prefix and token URL pointed at it."""
    api = FakeSpotify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.api = api
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setattr(catalog_fetch, "API_URL", f"{base}/v1/")
    monkeypatch.setattr(catalog_fetch, "TOKEN_URL", f"{base}/api/token")
    monkeypatch.setenv("SPOTIPY_CLIENT_ID", "test-client")
    monkeypatch.setenv("SPOTIPY_CLIENT_SECRET", "test-secret")
    yield api
    server.shutdown()
    server.server_close()


def listen(plays_file, listener: str, uris: list[str], ms: int = 200_000) -> int:
    """One counted play of each URI in March 2024; returns the file id."""
    start = datetime(2024, 3, 1, 12, tzinfo=UTC)
    plays = [
        {
            "ended_at": start + timedelta(minutes=10 * i),
            "ms": ms,
            "track_uri": uri,
            "track_name": f"t{i}",
            "artist_name": "a",
        }
        for i, uri in enumerate(uris)
    ]
    return plays_file(listener, plays)


def catalog_rows(conn) -> dict[str, tuple]:
    rows = conn.execute("SELECT track_uri, genre, release_year, popularity, artist_name FROM curated.catalog_tracks")
    return {uri: tuple(rest) for uri, *rest in rows.fetchall()}


def cached(conn) -> dict[str, str]:
    return dict(conn.execute("SELECT track_uri, status FROM curated.spotify_api_tracks").fetchall())


def test_a_run_fills_the_catalog_and_the_wrapped_shows_the_genres(conn, lake, spotify, plays_file):
    file_id = plays_file("ann", [])
    listen(plays_file, "ann", [AIRBAG], ms=200_000)
    listen(plays_file, "ann", [SO_WHICH, UNDATED], ms=300_000)
    conn.execute(  # a saved track: asked too
        "INSERT INTO curated.library_items (listener, item_type, name, artist_name, uri, file_id, item_key)"
        " VALUES ('ann', 'track', 'Gone', 'Nobody', %s, %s, %s)",
        (MISSING, file_id, uuid.uuid4()),
    )
    build(conn, lake)
    steps = []
    result = fetch_catalog(conn, spotify_client(), progress=lambda *step: steps.append(step))

    assert (result.tracks_asked, result.tracks_found, result.tracks_not_found) == (4, 3, 1)
    assert (result.artists_asked, result.artists_found, result.artists_with_genres) == (3, 3, 2)
    assert (result.catalog_rows, result.stream_coverage) == (3, {"ann": 1.0})
    assert catalog_rows(conn) == {
        AIRBAG: ("art rock", 1997, 61, "Paranoid Robots"),
        SO_WHICH: ("cool jazz", 1959, 70, "Sideman Sam"),  # the first artist has no genres: the next one's
        UNDATED: ("cool jazz", None, 12, "Miles Ahead"),  # 0000: Spotify does not know the date
    }
    assert cached(conn)[MISSING] == "not_found"
    assert steps == [("tracks", 4, 4), ("artists", 3, 3)]
    report = wrapped(conn, "ann", 2024)
    assert [g.name for g in report.top_genres] == ["cool jazz", "art rock"]
    assert report.catalog_coverage == 1.0


def test_a_429_waits_the_retry_after_then_fetches_the_batch(conn, spotify, plays_file):
    listen(plays_file, "ann", [AIRBAG, SO_WHICH, UNDATED])
    spotify.script["tracks"] = ["429:1"]
    started = time.monotonic()
    result = fetch_catalog(conn, spotify_client())
    assert time.monotonic() - started >= 1
    assert (result.tracks_found, result.tracks_not_found, result.rate_limit_wait_s) == (3, 0, 1.0)
    assert [what for kind, *_, what in spotify.calls if kind == "tracks"] == ["429:1", "ok"]
    assert set(cached(conn).values()) == {"found"}


def test_a_rate_limit_past_the_cap_stops_at_once_and_marks_nothing_missing(conn, spotify, plays_file):
    listen(plays_file, "ann", [AIRBAG, SO_WHICH])
    spotify.script["tracks"] = ["429:86400"]
    started = time.monotonic()
    with pytest.raises(FetchStopped, match="asks to wait 86400 s more, past this run's cap of 300 s"):
        fetch_catalog(conn, spotify_client())
    assert time.monotonic() - started < 5
    assert cached(conn) == {}
    assert fetch_catalog(conn, spotify_client()).tracks_found == 2  # the next run asks them again


def test_a_dropped_connection_stops_clearly_keeps_the_first_batch_and_the_next_run_asks_only_the_rest(
    conn, spotify, plays_file
):
    ids = [f"7Gen{i:018d}" for i in range(60)]
    spotify.add_tracks(ids)
    listen(plays_file, "ann", [f"spotify:track:{i}" for i in ids])
    spotify.script["tracks"] = ["ok"]
    spotify.after["tracks"] = "drop"
    with pytest.raises(FetchStopped, match="lost the connection to Spotify \\(4 tries") as stopped:
        fetch_catalog(conn, spotify_client())
    assert stopped.value.result.tracks_found == 50
    assert sorted(cached(conn)) == [f"spotify:track:{i}" for i in ids[:50]]
    assert len(catalog_rows(conn)) == 50  # what was stored reached the catalog at once

    spotify.after["tracks"] = "ok"
    spotify.calls.clear()
    result = fetch_catalog(conn, spotify_client())
    assert spotify.asked("tracks") == ids[50:]
    assert (result.tracks_asked, result.tracks_found) == (10, 10)
    assert len(catalog_rows(conn)) == 60


def test_a_run_interrupted_after_a_batch_resumes_without_asking_it_again(conn, spotify, plays_file):
    ids = [f"7Gen{i:018d}" for i in range(60)]
    spotify.add_tracks(ids)
    listen(plays_file, "ann", [f"spotify:track:{i}" for i in ids])

    def interrupt(*step):
        raise KeyboardInterrupt  # Ctrl-C right after the first batch is stored

    with pytest.raises(KeyboardInterrupt):
        fetch_catalog(conn, spotify_client(), progress=interrupt)
    assert len(cached(conn)) == 50
    spotify.calls.clear()
    assert fetch_catalog(conn, spotify_client()).tracks_asked == 10
    assert spotify.asked("tracks") == ids[50:]


def test_ids_spotify_does_not_know_are_recorded_not_found_and_never_asked_again(conn, spotify, plays_file):
    listen(plays_file, "ann", [AIRBAG, MISSING])
    assert fetch_catalog(conn, spotify_client()).tracks_not_found == 1
    spotify.calls.clear()
    again = fetch_catalog(conn, spotify_client())
    assert (again.tracks_asked, spotify.asked("tracks")) == (0, [])
    assert cached(conn) == {AIRBAG: "found", MISSING: "not_found"}


def test_a_refused_batch_endpoint_is_asked_one_id_at_a_time(conn, spotify, plays_file):
    listen(plays_file, "ann", [AIRBAG, SO_WHICH, MISSING])
    spotify.refuse_batches = True  # Development Mode apps since March 2026
    result = fetch_catalog(conn, spotify_client())
    assert (result.tracks_found, result.tracks_not_found, result.artists_with_genres) == (2, 1, 2)
    assert [(kind, batch) for kind, batch, *_ in spotify.calls] == [
        ("tracks", True), ("tracks", False), ("tracks", False), ("tracks", False),
        ("artists", False), ("artists", False), ("artists", False),
    ]  # fmt: skip
    assert catalog_rows(conn)[SO_WHICH] == ("cool jazz", 1959, 70, "Sideman Sam")


def test_a_loaded_csv_value_wins_and_fetch_fills_only_what_it_lacks(conn, spotify, plays_file, tmp_path):
    listen(plays_file, "ann", [AIRBAG, SO_WHICH])
    path = tmp_path / "tracks.csv"
    with path.open("w", newline="") as f:  # the public dataset's layout: no release date
        writer = csv.writer(f)
        writer.writerow(["track_id", "artists", "track_name", "popularity", "track_genre"])
        writer.writerow(["6TrackAirbag0000000000", "Paranoid Robots", "Airbag Song", "40", "csv rock"])
    load_catalog(conn, path)
    assert fetch_catalog(conn, spotify_client()).tracks_asked == 2  # the CSV's track lacks a year
    assert catalog_rows(conn)[AIRBAG] == ("csv rock", 1997, 40, "Paranoid Robots")

    load_catalog(conn, path)  # a CSV loaded again replaces its rows: the year is gone
    spotify.calls.clear()
    assert fetch_catalog(conn, spotify_client()).tracks_asked == 0
    assert spotify.calls == []  # filled again from the stored answers
    assert catalog_rows(conn)[AIRBAG] == ("csv rock", 1997, 40, "Paranoid Robots")


def test_only_named_export_listeners_are_asked_and_feed_users_are_refused(conn, spotify, plays_file):
    listen(plays_file, "ann", [AIRBAG])
    listen(plays_file, "bob", [SO_WHICH])
    assert fetch_catalog(conn, spotify_client(), ["bob"]).tracks_asked == 1
    assert spotify.asked("tracks") == [SO_WHICH.removeprefix("spotify:track:")]
    plays_file("feeder", [], source="feed", kind="feed")
    with pytest.raises(ValueError, match="no export of 'feeder' in the lake"):
        fetch_catalog(conn, spotify_client(), ["feeder"])


def test_without_credentials_it_exits_2_naming_the_variables(monkeypatch, capsys):
    monkeypatch.delenv("SPOTIPY_CLIENT_ID", raising=False)
    monkeypatch.setenv("SPOTIPY_CLIENT_SECRET", "set")
    assert main(["catalog", "fetch"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "set SPOTIPY_CLIENT_ID (" in err


def test_the_cli_prints_the_summary_and_writes_the_listeners_pages_again(lake, conn, spotify, plays_file, capsys):
    listen(plays_file, "ann", [AIRBAG, SO_WHICH, UNDATED])
    build(conn, lake)
    write_changed_reports(conn, lake, ["ann"])
    page = report_path(lake, "ann", 2024)
    assert "cool jazz" not in page.read_text()

    assert main(["catalog", "fetch", "--listener", "ann"]) == 0
    out, err = capsys.readouterr()
    summary = json.loads(out)
    assert (summary["tracks_found"], summary["artists_with_genres"], summary["stream_coverage"]) == (3, 2, {"ann": 1.0})
    assert "3 tracks asked, 3 found, 0 not found; 3 artists asked, 2 with genres" in err
    assert "cool jazz" in page.read_text()
    assert "test-secret" not in out + err


def test_the_cli_exits_1_with_the_reason_when_the_run_stops_and_keeps_what_it_got(
    lake, conn, spotify, plays_file, capsys
):
    ids = [f"7Gen{i:018d}" for i in range(60)]
    spotify.add_tracks(ids)
    listen(plays_file, "ann", [f"spotify:track:{i}" for i in ids])
    spotify.script["tracks"] = ["ok", "429:86400"]
    assert main(["catalog", "fetch"]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["tracks_found"] == 50
    assert err.splitlines()[-1] == (
        "wrapped-lake: catalog fetch stopped: Spotify's rate limit asks to wait 86400 s more, past this run's cap"
        " of 300 s; every answer stored so far is kept: run catalog fetch again later"
    )
