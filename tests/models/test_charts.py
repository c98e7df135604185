"""marts/charts and marts/artists: weekly charts per country and of the whole feed, their audio
features, features per country and month, artists by continent and week, and flagged accounts left
out of them (and of the population views) unless lake.include_flagged is on. The views read every
feed listener, so each test uses countries, weeks and artists of its own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from .rows import add_plays, fact, insert

MODELS = [
    "marts.weekly_charts", "marts.chart_audio_features", "marts.country_audio_by_month",
    "marts.artist_weekly_continents", "marts.include_flagged", "marts.flagged_listeners",
]  # fmt: skip


def feed_user(conn, listener: str, country: str, continent: str = "EU") -> None:
    insert(conn, "curated.feed_users", {"listener": listener, "country": country, "continent": continent,
                                        "subscription_type": "FREE", "file_id": 0})  # fmt: skip


def feed_track(conn, track_id: str, **features) -> None:
    insert(conn, "curated.feed_tracks", {"track_id": track_id, "file_id": 0} | features)


def song(conn, listener: str, day: date, track: str, streams: int = 1, artist: str = "Band", plays: int = 0) -> None:
    """Streams (and extra plays under 30 s) of one track by a feed user, at noon UTC."""
    fact(conn, listener, day, artist=artist, track=track, item_key=f"spotify:track:{track}",
         plays=streams + plays, counted_plays=streams, ms=streams * 60000)  # fmt: skip


def flag(conn, listener: str) -> None:
    """Make `listener` a stream farm: a day of 30 plays, each started before the one before ended
    (the build's per-day sums, as marts.account_days holds them; marts.anomaly_scores flags it)."""
    start = datetime(2026, 3, 2, tzinfo=UTC)
    insert(conn, "marts.account_days", {
        "listener": listener, "utc_day": start.date(), "plays": 30, "tracked_plays": 30, "tracks": 30,
        "countries": 1, "ms_played": 30 * 180_000, "thirty_plays": 0, "overlapping_plays": 29, "gaps": 0,
        "gap_sum": 0, "gap_sum_squares": 0, "longest_gap_ms": None, "first_started_at": start,
        "last_ended_at": start + timedelta(minutes=61),
    })  # fmt: skip


def chart(conn, scope: str, week: date) -> list[tuple]:
    return conn.execute(
        "SELECT rank, item_key, track_name, artist_name, streams, listeners FROM marts.weekly_charts"
        " WHERE scope = %s AND week_start = %s ORDER BY rank", (scope, week),
    ).fetchall()  # fmt: skip


MONDAY = date(2032, 5, 3)


def test_a_weekly_chart_ranks_by_streams_ties_by_name_in_byte_order_per_country_and_globally(conn):
    feed_user(conn, "wc_x1", "X1")
    feed_user(conn, "wc_x2", "X1")
    feed_user(conn, "wc_y", "Y1")
    song(conn, "wc_x1", MONDAY, "b", streams=2)
    song(conn, "wc_x2", MONDAY + timedelta(days=6), "b", streams=1, plays=3)  # Sunday: the same week
    song(conn, "wc_x1", MONDAY + timedelta(days=1), "B", streams=3)  # "B" < "b" in byte order
    song(conn, "wc_x2", MONDAY + timedelta(days=2), "a", streams=1)
    song(conn, "wc_x1", MONDAY + timedelta(days=7), "a", streams=9)  # next week
    song(conn, "wc_y", MONDAY, "a", streams=5)
    song(conn, "wc_y", MONDAY, "z", streams=0, plays=1)  # played, never streamed: not charted
    assert chart(conn, "X1", MONDAY) == [
        (1, "spotify:track:B", "B", "Band", 3, 1), (2, "spotify:track:b", "b", "Band", 3, 2),
        (3, "spotify:track:a", "a", "Band", 1, 1),
    ]  # fmt: skip
    assert chart(conn, "Y1", MONDAY) == [(1, "spotify:track:a", "a", "Band", 5, 1)]
    rows = [
        (rank, track, streams, listeners) for rank, _, track, _, streams, listeners in chart(conn, "GLOBAL", MONDAY)
    ]
    assert rows[:3] == [(1, "a", 6, 2), (2, "B", 3, 1), (3, "b", 3, 2)]
    assert chart(conn, "X1", MONDAY + timedelta(days=7)) == [(1, "spotify:track:a", "a", "Band", 9, 1)]


def test_a_chart_holds_the_top_50(conn):
    feed_user(conn, "wc_many", "X2")
    for n in range(60):
        song(conn, "wc_many", MONDAY, f"t{n:02d}", streams=100 - n)
    rows = chart(conn, "X2", MONDAY)
    assert len(rows) == 50 and rows[0][2] == "t00" and rows[-1][2] == "t49"


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
    flag(conn, "fl_farm")
    song(conn, "fl_farm", MONDAY, "fl_pushed", streams=50, artist="fl_artist")
    song(conn, "fl_fan", MONDAY, "fl_loved", streams=2, artist="fl_artist")
    if include:
        conn.execute("SET LOCAL lake.include_flagged = on")
    assert conn.execute("SELECT marts.include_flagged()").fetchone()[0] is include
    assert conn.execute("SELECT count(*) FROM marts.flagged_listeners WHERE listener = 'fl_farm'").fetchone()[0] == (
        0 if include else 1
    )
    expected = [("fl_pushed", 50), ("fl_loved", 2)] if include else [("fl_loved", 2)]
    assert [(track, streams) for _, _, track, _, streams, _ in chart(conn, "X7", MONDAY)] == expected
    artist = "SELECT sum(streams) FROM marts.artist_weekly_continents WHERE artist_name = 'fl_artist'"
    assert conn.execute(artist).fetchone()[0] == (52 if include else 2)
    top = "SELECT streams FROM marts.artist_top_songs WHERE artist_name = 'fl_artist' ORDER BY rank"
    assert conn.execute(top).fetchall() == ([(50,), (2,)] if include else [(2,)])
    continents = "SELECT sum(streams) FROM marts.population_top_charts WHERE continent = 'AN' AND chart = 'artist'"
    assert conn.execute(continents).fetchone()[0] == (104 if include else 4)  # the week's and the month's
    add_plays(conn, "fl_farm", [{"ended_at": datetime(2033, 1, 1, 12, tzinfo=UTC), "ms": 180_000}], source="feed")
    sessions = "SELECT sessions FROM marts.daily_sessions WHERE day = '2033-01-01'"
    assert conn.execute(sessions).fetchall() == ([(1,)] if include else [])
    # The account's own marts still hold it: its Wrapped is built as any other.
    wrapped = "SELECT sum(counted_plays) FROM marts.hourly_plays WHERE listener = 'fl_farm'"
    assert conn.execute(wrapped).fetchone()[0] == 50
