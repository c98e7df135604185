"""marts/charts and marts/artists: weekly charts per country and of the whole feed, their audio
features, features per country and month, artists by continent and week, the weekly streams and
track totals the build keeps, and flagged accounts left out of them (and of the population views)
unless lake.include_flagged is on. The views read every feed listener, so each test uses
countries, weeks and artists of its own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from wrapped_lake.marts.build import build

from .rows import account_day, add_plays, feed_song, flagged, insert

MODELS = [
    "marts.weekly_charts", "marts.chart_audio_features", "marts.country_audio_by_month",
    "marts.artist_weekly_continents", "marts.include_flagged", "marts.flagged_listeners", "marts.weekly_track_streams",
    "marts.track_totals",
]  # fmt: skip


def feed_user(conn, listener: str, country: str, continent: str = "EU") -> None:
    insert(conn, "curated.feed_users", {"listener": listener, "country": country, "continent": continent,
                                        "subscription_type": "FREE", "file_id": 0})  # fmt: skip


def feed_track(conn, track_id: str, **features) -> None:
    insert(conn, "curated.feed_tracks", {"track_id": track_id, "file_id": 0} | features)


def song(conn, listener: str, day: date, track: str, streams: int = 1, artist: str = "Band", plays: int = 0) -> None:
    """Streams (and extra plays under 30 s) of one track by a feed user, at noon UTC."""
    feed_song(conn, listener, day, track, artist=artist, streams=streams, plays=plays)


def chart(conn, scope: str, week: date) -> list[tuple]:
    return conn.execute(
        "SELECT rank, item_key, track_name, artist_name, streams FROM marts.weekly_charts"
        " WHERE scope = %s AND week_start = %s ORDER BY rank", (scope, week),
    ).fetchall()  # fmt: skip


MONDAY = date(2032, 5, 3)


def test_a_weekly_chart_ranks_by_streams_ties_by_name_in_byte_order_per_country_and_globally(conn):
    feed_user(conn, "wc_x1", "X1")
    feed_user(conn, "wc_x2", "X1")
    feed_user(conn, "wc_y", "Y1")
    song(conn, "wc_x1", MONDAY, "wc_b", streams=2)
    song(conn, "wc_x2", MONDAY + timedelta(days=6), "wc_b", streams=1, plays=3)  # Sunday: the same week
    song(conn, "wc_x1", MONDAY + timedelta(days=1), "wc_B", streams=3)  # "wc_B" < "wc_b" in byte order
    song(conn, "wc_x2", MONDAY + timedelta(days=2), "wc_a", streams=1)
    song(conn, "wc_x1", MONDAY + timedelta(days=7), "wc_a", streams=9)  # next week
    song(conn, "wc_y", MONDAY, "wc_a", streams=5)
    song(conn, "wc_y", MONDAY, "wc_z", streams=0, plays=1)  # played, never streamed: not charted
    assert chart(conn, "X1", MONDAY) == [
        (1, "spotify:track:wc_B", "wc_B", "Band", 3), (2, "spotify:track:wc_b", "wc_b", "Band", 3),
        (3, "spotify:track:wc_a", "wc_a", "Band", 1),
    ]  # fmt: skip
    assert chart(conn, "Y1", MONDAY) == [(1, "spotify:track:wc_a", "wc_a", "Band", 5)]
    rows = [(rank, track, streams) for rank, _, track, _, streams in chart(conn, "GLOBAL", MONDAY)]
    assert rows[:3] == [(1, "wc_a", 6), (2, "wc_B", 3), (3, "wc_b", 3)]
    assert chart(conn, "X1", MONDAY + timedelta(days=7)) == [(1, "spotify:track:wc_a", "wc_a", "Band", 9)]


def test_a_chart_holds_the_top_50(conn):
    feed_user(conn, "wc_many", "X2")
    for n in range(60):
        song(conn, "wc_many", MONDAY, f"t{n:02d}", streams=100 - n)
    rows = chart(conn, "X2", MONDAY)
    assert len(rows) == 50 and rows[0][2] == "t00" and rows[-1][2] == "t49"


def test_tracks_tied_across_the_50th_place_are_cut_by_name(conn):
    """Only tracks that can make the top 50 get their names looked up: every track tied with the
    50th is one of them, and the name decides which of those are in."""
    feed_user(conn, "wc_ties", "X8")
    for n in range(40):
        song(conn, "wc_ties", MONDAY, f"wc_top{n:02d}", streams=5)
    for n in reversed(range(20)):
        song(conn, "wc_ties", MONDAY, f"wc_tied{n:02d}", streams=2)
    song(conn, "wc_ties", MONDAY, "wc_last", streams=1)
    # Names in the opposite order to the URIs: the last ten URIs have the first ten names.
    conn.execute(
        "UPDATE marts.track_totals SET track_name = 'Tied ' || (99 - right(track_uri, 2)::int)"
        " WHERE track_uri LIKE 'spotify:track:wc_tied%'"
    )
    rows = chart(conn, "X8", MONDAY)
    assert [(uri, name) for _, uri, name, _, _ in rows[40:]] == [
        (f"spotify:track:wc_tied{n:02d}", f"Tied {99 - n}") for n in reversed(range(10, 20))
    ]
    assert [rank for rank, *_ in rows] == list(range(1, 51))


def test_chart_audio_features_are_the_mean_over_the_charts_known_tracks(conn):
    feed_user(conn, "af_user", "X3")
    feed_track(conn, "af1", danceability=0.2, energy=0.4, valence=0.1, tempo=100, acousticness=0.5)
    feed_track(conn, "af2", danceability=0.6, energy=0.8, valence=None, tempo=140, acousticness=0.7)
    for track in ("af1", "af2", "af_unknown"):
        song(conn, "af_user", MONDAY, track, streams=4)
    row = conn.execute(
        "SELECT tracks, round(danceability::numeric, 6)::float, round(energy::numeric, 6)::float, valence, tempo,"
        " round(acousticness::numeric, 6)::float, mode FROM marts.chart_audio_features"
        " WHERE scope = 'X3' AND week_start = %s", (MONDAY,),
    ).fetchone()  # fmt: skip
    assert row == (2, 0.4, 0.6, 0.1, 120, 0.6, None)


def test_country_audio_is_weighted_by_streams_per_utc_month(conn):
    feed_user(conn, "ca_user", "X4")
    feed_track(conn, "ca1", danceability=0.9, valence=0.8)
    feed_track(conn, "ca2", danceability=0.3, valence=None)
    song(conn, "ca_user", date(2032, 1, 31), "ca1", streams=1)
    song(conn, "ca_user", date(2032, 1, 5), "ca2", streams=2)
    song(conn, "ca_user", date(2032, 1, 6), "ca_unknown", streams=5)
    song(conn, "ca_user", date(2032, 2, 1), "ca2", streams=1)
    rows = conn.execute(
        "SELECT month, streams, round(danceability::numeric, 6)::float, valence FROM marts.country_audio_by_month"
        " WHERE country = 'X4' ORDER BY month"
    ).fetchall()
    assert rows == [(date(2032, 1, 1), 8, 0.5, 0.8), (date(2032, 2, 1), 1, 0.3, None)]


def test_artists_streams_and_listeners_by_continent_and_week(conn):
    feed_user(conn, "aw_1", "X5", continent="AF")
    feed_user(conn, "aw_2", "X5", continent="AF")
    feed_user(conn, "aw_3", "X6", continent="OC")
    song(conn, "aw_1", MONDAY, "aw_a", streams=2, artist="aw_artist")
    song(conn, "aw_1", MONDAY + timedelta(days=1), "aw_b", streams=1, artist="aw_artist")
    song(conn, "aw_2", MONDAY + timedelta(days=3), "aw_a", streams=0, plays=1, artist="aw_artist")
    song(conn, "aw_3", MONDAY + timedelta(days=7), "aw_a", streams=4, artist="aw_artist")
    rows = conn.execute(
        "SELECT continent, week_start, streams, listeners FROM marts.artist_weekly_continents"
        " WHERE artist_name = 'aw_artist' ORDER BY 1, 2"
    ).fetchall()
    assert rows == [("AF", MONDAY, 3, 2), ("OC", MONDAY + timedelta(days=7), 4, 1)]


@pytest.mark.parametrize("include", [False, True])
def test_a_flagged_accounts_streams_are_left_out_unless_the_session_includes_them(conn, include):
    feed_user(conn, "fl_farm", "X7", continent="AN")
    feed_user(conn, "fl_fan", "X7", continent="AN")
    flagged(conn, "fl_farm")
    song(conn, "fl_farm", MONDAY, "fl_pushed", streams=50, artist="fl_artist")
    song(conn, "fl_fan", MONDAY, "fl_loved", streams=2, artist="fl_artist")
    if include:
        conn.execute("SET LOCAL lake.include_flagged = on")
    assert conn.execute("SELECT marts.include_flagged()").fetchone()[0] is include
    assert conn.execute("SELECT count(*) FROM marts.flagged_listeners WHERE listener = 'fl_farm'").fetchone()[0] == (
        0 if include else 1
    )
    expected = [("fl_pushed", 50), ("fl_loved", 2)] if include else [("fl_loved", 2)]
    assert [(track, streams) for _, _, track, _, streams in chart(conn, "X7", MONDAY)] == expected
    assert [(track, streams) for _, _, track, _, streams in chart(conn, "GLOBAL", MONDAY) if track[:3] == "fl_"] == (
        expected
    )
    artist = "SELECT sum(streams) FROM marts.artist_weekly_continents WHERE artist_name = 'fl_artist'"
    assert conn.execute(artist).fetchone()[0] == (52 if include else 2)
    top = "SELECT streams FROM marts.artist_top_songs WHERE artist_name = 'fl_artist' ORDER BY rank"
    assert conn.execute(top).fetchall() == ([(50,), (2,)] if include else [(2,)])
    continents = "SELECT sum(streams) FROM marts.population_top_charts WHERE continent = 'AN' AND chart = 'artist'"
    assert conn.execute(continents).fetchone()[0] == (104 if include else 4)  # the week's and the month's
    account_day(conn, "fl_farm", date(2033, 1, 1))
    sessions = "SELECT sessions FROM marts.daily_sessions WHERE day = '2033-01-01'"
    assert conn.execute(sessions).fetchall() == ([(1,)] if include else [])
    # The account's own marts still hold it: its Wrapped is built as any other.
    wrapped = "SELECT sum(counted_plays) FROM marts.hourly_plays WHERE listener = 'fl_farm'"
    assert conn.execute(wrapped).fetchone()[0] == 50


def test_the_weekly_streams_and_track_totals_grow_with_each_new_day_as_a_full_build_sums_them(shared_conn, models_lake):
    """marts.weekly_track_streams and marts.track_totals, filled by the build: a feed file's new day
    adds its streams (plays of 30 s or more) to its week's and its track's rows, and a new account
    of a track to its listeners; a full build sums the same rows from the fact and the accounts'
    counts."""
    conn = shared_conn
    feed_user(conn, "wts_user", "XW")
    feed_user(conn, "wts_other", "XW")
    monday = datetime(2034, 1, 2, 12, tzinfo=UTC)

    def day(plays: list[tuple[datetime, str, int]], listener: str = "wts_user", kind: str = "feed") -> None:
        """A feed file of the listener's plays (kind feed: built for its hours; avro: read whole)."""
        file_id = add_plays(conn, listener, [
            {"ended_at": ended, "ms": ms, "track_uri": f"spotify:track:{track}", "track_name": track,
             "artist_name": "wts_band"} for ended, track, ms in plays
        ], source="feed", kind=kind)  # fmt: skip
        conn.execute(
            "INSERT INTO ingest.file_spans SELECT file_id, listener, min(ended_at), max(ended_at)"
            " FROM curated.play_rows WHERE file_id = %s GROUP BY 1, 2",
            (file_id,),
        )

    def weeks() -> list[tuple]:
        return conn.execute(
            "SELECT w.week_start, w.item_key, w.streams FROM marts.weekly_track_streams w"
            " JOIN marts.track_totals t ON t.track_uri = w.item_key WHERE t.artist_name = 'wts_band' ORDER BY 1, 2"
        ).fetchall()

    def totals() -> list[tuple]:
        return conn.execute(
            "SELECT track_uri, track_name, streams, listeners FROM marts.track_totals WHERE artist_name = 'wts_band'"
            " ORDER BY 1"
        ).fetchall()

    day([(monday + timedelta(minutes=4 * i), "w1", 200_000) for i in range(3)] + [(monday, "w2", 10_000)])
    build(conn, models_lake)
    assert weeks() == [(monday.date(), "spotify:track:w1", 3)]
    assert totals() == [("spotify:track:w1", "w1", 3, 1), ("spotify:track:w2", "w2", 0, 1)]
    day([(monday + timedelta(days=1, minutes=4 * i), "w1", 60_000) for i in range(2)]
        + [(monday + timedelta(days=7), "w3", 31_000)])  # fmt: skip
    build(conn, models_lake)
    # One build with a new day's hours beside a listener read whole: the sums made again from
    # every account take the new day in, once.
    day([(monday + timedelta(days=1, hours=2), "w1", 40_000)], listener="wts_other", kind="avro")
    day([(monday + timedelta(days=7, hours=1), "w3", 40_000)])
    build(conn, models_lake)
    growing = [(monday.date(), "spotify:track:w1", 6), (monday.date() + timedelta(days=7), "spotify:track:w3", 2)]
    assert weeks() == growing
    summed = [("spotify:track:w1", "w1", 6, 2), ("spotify:track:w2", "w2", 0, 1), ("spotify:track:w3", "w3", 2, 1)]
    assert totals() == summed
    assert chart(conn, "GLOBAL", monday.date())[:1] == [(1, "spotify:track:w1", "w1", "wts_band", 6)]
    build(conn, models_lake, full=True)
    assert weeks() == growing
    assert totals() == summed
    # Other modules' views read every feed user, over their own span of days: these are gone again.
    conn.execute("DELETE FROM curated.feed_users WHERE listener = 'wts_other'")
    conn.execute("DELETE FROM curated.feed_users WHERE listener = 'wts_user'")
