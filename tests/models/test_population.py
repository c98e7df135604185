"""marts/population: the simulated feed's users, charts, sessions and active users. These views
read every listener, so each test uses continents, tiers and days of its own."""

from __future__ import annotations

from datetime import UTC, date, datetime

from .rows import account_day, fact, feed_song, flagged, insert

MODELS = [
    "marts.feed_plays", "marts.population_top_charts", "marts.artist_continents", "marts.artist_top_songs",
    "marts.listeners_by_tier", "marts.daily_sessions", "marts.active_users",
]  # fmt: skip


def feed_user(conn, listener: str, continent: str = "Europe", tier: str = "free") -> None:
    insert(conn, "curated.feed_users", {"listener": listener, "country": "SE", "continent": continent,
                                        "subscription_type": tier, "file_id": 0})  # fmt: skip


def feed_track(conn, track_id: str, genre: str) -> None:
    insert(conn, "curated.feed_tracks", {"track_id": track_id, "genre": genre, "file_id": 0})


def song(conn, listener: str, day: date, artist: str, track: str, streams: int = 1) -> None:
    """A feed user's streams of one track, keyed by its URI like the feed's plays, where the build keeps them."""
    feed_song(conn, listener, day, track, artist=artist, streams=streams)


def test_feed_plays_are_the_feed_users_music_with_their_place_tier_and_genre(conn):
    feed_user(conn, "fp_user", continent="Atlantis", tier="premium")
    feed_track(conn, "fp1", "polka")
    song(conn, "fp_user", date(2024, 1, 1), "Band", "fp1")
    fact(conn, "fp_user", date(2024, 1, 2), artist="Band", track="Unknown")
    fact(conn, "fp_user", date(2024, 1, 3), media="podcast", item_key="Show")
    song(conn, "fp_export", date(2024, 1, 1), "Band", "fp1")  # an export listener: not a feed user
    rows = conn.execute(
        "SELECT listener, continent, country, subscription_type, item_key, genre, plays, streams, ms_played"
        " FROM marts.feed_plays WHERE continent = 'Atlantis' ORDER BY utc_hour"
    ).fetchall()
    assert rows == [
        ("fp_user", "Atlantis", "SE", "premium", "spotify:track:fp1", "polka", 1, 1, 60000),
        ("fp_user", "Atlantis", "SE", "premium", "names:Band\tUnknown", None, 1, 1, 60000),
    ]


def test_top_charts_rank_songs_artists_and_genres_by_streams_per_continent_and_week(conn):
    for listener in ("tc_a", "tc_b"):
        feed_user(conn, listener, continent="Mu")
    feed_track(conn, "tc_hit", "disco")
    song(conn, "tc_a", date(2031, 1, 6), "Star", "tc_hit", streams=2)
    song(conn, "tc_b", date(2031, 1, 7), "Star", "tc_hit")
    song(conn, "tc_b", date(2031, 1, 8), "Other", "tc_miss")
    rows = conn.execute(
        "SELECT chart, rank, name, streams, listeners FROM marts.population_top_charts"
        " WHERE continent = 'Mu' AND period = 'week' AND period_start = '2031-01-06' ORDER BY chart, rank"
    ).fetchall()
    assert rows == [
        ("artist", 1, "Star", 3, 2), ("artist", 2, "Other", 1, 1),
        ("genre", 1, "disco", 3, 2),
        ("song", 1, "tc_hit - Star", 3, 2), ("song", 2, "tc_miss - Other", 1, 1),
    ]  # fmt: skip
    months = "SELECT DISTINCT period_start FROM marts.population_top_charts WHERE continent = 'Mu' AND period = 'month'"
    assert conn.execute(months).fetchall() == [(date(2031, 1, 1),)]


def test_artist_continents_count_plays_streams_and_listeners_per_continent(conn):
    feed_user(conn, "ac_north", continent="North")
    feed_user(conn, "ac_south_1", continent="South")
    feed_user(conn, "ac_south_2", continent="South")
    song(conn, "ac_north", date(2024, 1, 1), "ac_artist", "x", streams=4)
    song(conn, "ac_south_1", date(2024, 1, 1), "ac_artist", "x")
    song(conn, "ac_south_2", date(2024, 1, 1), "ac_artist", "y", streams=2)
    rows = conn.execute(
        "SELECT continent, plays, streams, listeners FROM marts.artist_continents"
        " WHERE artist_name = 'ac_artist' ORDER BY continent"
    ).fetchall()
    assert rows == [("North", 4, 4, 1), ("South", 3, 3, 2)]


def test_artist_top_songs_are_the_five_most_streamed_ties_by_name(conn):
    feed_user(conn, "ats_user")
    # Tracks of their own: a URI is one track, counted over every account (marts.track_totals).
    for track, streams in (("ats_f", 1), ("ats_e", 2), ("ats_d", 3), ("ats_c", 3), ("ats_b", 5), ("ats_a", 6)):
        song(conn, "ats_user", date(2024, 1, 1), "ats_artist", track, streams=streams)
    rows = conn.execute(
        "SELECT rank, track_name, streams, listeners FROM marts.artist_top_songs WHERE artist_name = 'ats_artist'"
        " ORDER BY rank"
    ).fetchall()
    assert rows == [(1, "ats_a", 6, 1), (2, "ats_b", 5, 1), (3, "ats_c", 3, 1), (4, "ats_d", 3, 1), (5, "ats_e", 2, 1)]


def test_listeners_by_tier_counts_the_users_and_those_the_marts_hold(conn):
    for listener in ("lbt_1", "lbt_2", "lbt_3"):
        feed_user(conn, listener, tier="lbt_gold")
    insert(conn, "marts.listeners", {"listener": "lbt_2", "timezone": "UTC", "source": "feed",
                                     "built_at": datetime(2024, 1, 1, tzinfo=UTC)})  # fmt: skip
    rows = conn.execute("SELECT users, listeners FROM marts.listeners_by_tier WHERE subscription_type = 'lbt_gold'")
    assert rows.fetchall() == [(3, 1)]


def test_daily_sessions_count_a_session_over_midnight_on_the_day_it_started(conn):
    # ds_a: two sessions on 1 February, the first play of the 2nd within 30 minutes of the 1st's
    # last end (a session over midnight), then one more that day; ds_b: one, then a day 40 minutes
    # after: a new session. (Which plays start a session within a day is the build's, tested with it.)
    feed_user(conn, "ds_a")
    feed_user(conn, "ds_b")
    account_day(conn, "ds_a", date(2031, 2, 1), sessions=2, first="10:00", last="23:50")
    account_day(conn, "ds_a", date(2031, 2, 2), sessions=2, first="00:10", last="09:00", gap_in_ms=20 * 60000)
    account_day(conn, "ds_b", date(2031, 2, 1), sessions=1, first="10:00", last="23:20")
    account_day(conn, "ds_b", date(2031, 2, 2), sessions=1, first="00:00", last="00:05", gap_in_ms=40 * 60000)
    rows = conn.execute(
        "SELECT day, sessions, listeners FROM marts.daily_sessions WHERE day BETWEEN '2031-02-01' AND '2031-02-02'"
        " ORDER BY day"
    )
    assert rows.fetchall() == [(date(2031, 2, 1), 3, 2), (date(2031, 2, 2), 2, 2)]


def test_active_users_per_utc_day_and_week(conn):
    """Accounts with a music play starting in the day or week (their days in marts.account_days),
    flagged ones left out."""
    feed_user(conn, "au_a")
    feed_user(conn, "au_b")
    feed_user(conn, "au_farm")
    flagged(conn, "au_farm")
    account_day(conn, "au_a", date(2031, 3, 3))  # a Monday
    account_day(conn, "au_a", date(2031, 3, 4))
    account_day(conn, "au_b", date(2031, 3, 4))
    account_day(conn, "au_farm", date(2031, 3, 4))
    rows = conn.execute(
        "SELECT period, period_start, active_users FROM marts.active_users"
        " WHERE period_start BETWEEN '2031-03-03' AND '2031-03-09' ORDER BY 1, 2"
    ).fetchall()
    assert rows == [("day", date(2031, 3, 3), 1), ("day", date(2031, 3, 4), 2), ("week", date(2031, 3, 3), 2)]
