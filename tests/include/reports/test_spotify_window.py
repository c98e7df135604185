"""Spotify's own rules: a synthetic export and the Wrapped2024.json Spotify would have put in it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html import unescape

import orjson

from wrapped_lake import fixtures
from wrapped_lake.ingest import ingest
from wrapped_lake.marts.build import build
from wrapped_lake.marts.listeners import set_timezone
from wrapped_lake.reports.publish import render
from wrapped_lake.reports.record import BiggestDay, SpotifyBiggestDay, SpotifyFigures, TopPodcast
from wrapped_lake.reports.wrapped import beside_spotify, wrapped


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def song(ts, ms, track):
    return fixtures.Play(ts, ms, "music", "Ana", track, "Alb", f"spotify:track:{track}")


def podcast(ts, ms):
    return fixtures.Play(ts, ms, "podcast", show="Pod", episode="E")


PLAYS = [
    song(at(2024, 1, 5, 9), 10_000, "A"),  # A's first play: short, still its first_played
    *[song(at(2024, 2, d, 9), 200_000, "A") for d in range(1, 6)],  # 5 streams of A
    *[song(at(2024, 2, 10, 9, m), 20_000, "B") for m in range(8)],  # B: more plays, none 30 s
    # 2024-03-10 02:00-03:00 UTC is Mar 9 in New York: Spotify's 2024 days are UTC days.
    *[song(at(2024, 3, 10, 2, m), 180_000, "C") for m in range(0, 60, 4)],  # 15 plays: 45 min
    song(at(2024, 3, 10, 3), 25_000, "C"),  # short: adds nothing to Spotify's day
    podcast(at(2024, 4, 1, 8), 90_000),
    podcast(at(2024, 4, 2, 8), 90_000),
    podcast(at(2024, 4, 3, 8), 90_000),
    podcast(at(2024, 4, 4, 8), 40_000),  # under 60 s: no Spotify minutes
    # After Spotify's cut-off (2024-11-13): the calendar's biggest day and top track, not Spotify's.
    *[song(at(2024, 11, 20, 12, m), 200_000, "D") for m in range(20)],
]
# What Spotify would say, worked out by hand from the plays above.
SPOTIFY_WRAPPED = {
    "yearlyMetrics": {"mostListenedDay": "2024-03-10", "mostListenedDayMinutes": 45.0, "totalMinutes": 132},
    "topTracks": {"topTrackPlayCount": 15, "topTrackFirstPlayedDate": "2024-03-10"},
    "topPodcasts": {"topPodcastMilliseconds": 270_000},
    "topArtists": {"topArtistName": "Ana"},
}


def _lake(lake, conn, with_wrapped: bool = True):
    files = {"Spotify Extended Streaming History/Streaming_History_Audio_2024.json": fixtures._json(
        [fixtures.extended_record(p) for p in PLAYS])}  # fmt: skip
    if with_wrapped:
        files["Spotify Account Data/Wrapped2024.json"] = orjson.dumps(SPOTIFY_WRAPPED)
    fixtures.write_files(lake.inbox / "ny", files)
    reports = ingest(lake)
    build(conn, lake)
    set_timezone(conn, "ny", "America/New_York")
    build(conn, lake)
    return reports


def test_the_wrapped_file_is_loaded_by_content_and_shown_as_spotify(lake, conn):
    reports = _lake(lake, conn)
    assert {r.kind for r in reports} >= {"spotify_wrapped"}
    spotify = wrapped(conn, "ny", 2024).spotify
    assert spotify == SpotifyFigures(
        biggest_day=SpotifyBiggestDay(date(2024, 3, 10), minutes=45.0),
        top_track_streams=15,
        top_track_first_played=date(2024, 3, 10),
        top_podcast_minutes=4.5,
    )


def test_spotify_window_reproduces_spotifys_figures(lake, conn):
    _lake(lake, conn)
    lake_by_spotify_rules = wrapped(conn, "ny", 2024, "spotify")
    for row in beside_spotify(lake_by_spotify_rules):
        assert row.lake == row.spotify, row.label
    assert lake_by_spotify_rules.top_tracks[0].name == "C"


def test_calendar_window_keeps_the_briefs_rules(lake, conn):
    _lake(lake, conn)
    calendar = wrapped(conn, "ny", 2024)
    assert calendar.biggest_day == BiggestDay(date(2024, 11, 20), minutes=66.67)  # after the cut-off
    assert calendar.top_tracks[0].name == "D"
    assert calendar.top_podcasts == (TopPodcast("Pod", minutes=5.17),)  # every play's minutes
    # New York days: the plays of 2024-03-10 02:00 UTC fall on Mar 9 there.
    assert calendar.listening_clock[21] + calendar.listening_clock[22] > 0


def test_without_a_wrapped_file_spotify_is_null(lake, conn):
    _lake(lake, conn, with_wrapped=False)
    assert wrapped(conn, "ny", 2024).spotify is None


def test_report_pages_show_spotify_beside_the_lake(lake, conn):
    _lake(lake, conn)
    page = render(conn, "ny", 2024, "calendar", "html").decode()
    assert 'id="spotify"' in page and "Top song's streams" in unescape(page)
    assert "Beside Spotify's own Wrapped" in render(conn, "ny", 2024, "calendar", "text").decode()
