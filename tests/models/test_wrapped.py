"""marts/wrapped: a window's rows, its top lists, and the per-year views built on them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from .rows import fact, month

MODELS = [
    "marts.window_plays", "marts.window_top_artists", "marts.window_top_tracks", "marts.top_artists",
    "marts.top_tracks", "marts.listener_years", "marts.minutes_percentiles", "marts.track_firsts",
    "marts.artist_firsts",
]  # fmt: skip
YEAR_2024 = "%s, '2024-01-01', '2024-12-31', '-infinity', 'infinity'"  # a calendar window's arguments


def window(conn, function: str, listener: str, spotify_rules: bool = False, *extra) -> list[tuple]:
    arguments = ", ".join(["%s"] * (len(extra) + 1))
    return conn.execute(
        f"SELECT * FROM marts.{function}({YEAR_2024}, {arguments})", (listener, spotify_rules, *extra)
    ).fetchall()


def test_window_plays_are_the_listeners_rows_of_the_windows_local_dates(conn):
    for day in (date(2023, 12, 31), date(2024, 1, 1), date(2024, 12, 31), date(2025, 1, 1)):
        fact(conn, "wp_dates", day)
    fact(conn, "wp_other", date(2024, 6, 1))
    assert [row[1] for row in window(conn, "window_plays", "wp_dates")] == [date(2024, 1, 1), date(2024, 12, 31)]


def test_window_plays_end_before_the_windows_last_utc_hour(conn):
    fact(conn, "wp_cutoff", date(2024, 11, 14), utc_hour=datetime(2024, 11, 14, 23, tzinfo=UTC))
    fact(conn, "wp_cutoff", date(2024, 11, 15), utc_hour=datetime(2024, 11, 15, 0, tzinfo=UTC))
    rows = conn.execute(
        "SELECT utc_hour FROM marts.window_plays('wp_cutoff', '2024-01-01', '2024-12-31',"
        " '2024-01-01 00:00+00', '2024-11-15 00:00+00', true)"
    ).fetchall()
    assert rows == [(datetime(2024, 11, 14, 23, tzinfo=UTC),)]


def test_the_spotify_window_counts_only_the_ms_of_counted_plays(conn):
    fact(conn, "wp_ms", date(2024, 3, 1), plays=3, counted_plays=1, ms_played=100000, ms_counted=40000)
    assert [row[10] for row in window(conn, "window_plays", "wp_ms", False)] == [100000]
    assert [row[10] for row in window(conn, "window_plays", "wp_ms", True)] == [40000]


def test_top_artists_rank_by_minutes(conn):
    fact(conn, "ta_minutes", date(2024, 2, 1), artist="Three", ms=180000)
    fact(conn, "ta_minutes", date(2024, 2, 1), artist="Five", ms=120000, track="One")
    fact(conn, "ta_minutes", date(2024, 2, 2), artist="Five", ms=180000, track="Two")
    assert window(conn, "window_top_artists", "ta_minutes") == [(1, "Five", 300000, 2), (2, "Three", 180000, 1)]


def test_a_tie_on_minutes_breaks_by_name_in_byte_order(conn):
    for artist in ("a-ha", "Blur", "ABBA"):
        fact(conn, "ta_tie", date(2024, 2, 1), artist=artist, ms=240000)
    assert [row[:2] for row in window(conn, "window_top_artists", "ta_tie")] == [(1, "ABBA"), (2, "Blur"), (3, "a-ha")]


def test_top_artists_are_five_at_most(conn):
    for minutes in range(1, 7):
        fact(conn, "ta_five", date(2024, 2, 1), artist=f"Artist {minutes}", ms=minutes * 60000)
    assert [row[:2] for row in window(conn, "window_top_artists", "ta_five")] == [
        (1, "Artist 6"), (2, "Artist 5"), (3, "Artist 4"), (4, "Artist 3"), (5, "Artist 2"),
    ]  # fmt: skip


def test_top_artists_leave_out_podcasts_and_plays_without_an_artist(conn):
    fact(conn, "ta_music", date(2024, 2, 1), artist="Band", ms=60000)
    fact(conn, "ta_music", date(2024, 2, 1), artist=None, ms=600000, item_key="names:\tUnknown")
    fact(conn, "ta_music", date(2024, 2, 1), artist="Show", media="podcast", item_key="Show", ms=900000)
    assert [row[1] for row in window(conn, "window_top_artists", "ta_music")] == ["Band"]


def test_under_spotifys_rules_an_artist_of_short_plays_only_has_no_minutes(conn):
    skipped = {"plays": 20, "counted_plays": 0, "ms_played": 400000, "ms_counted": 0}
    fact(conn, "ta_short", date(2024, 2, 1), artist="Skipped", **skipped)
    fact(conn, "ta_short", date(2024, 2, 1), artist="Played", ms=60000)
    assert [row[1] for row in window(conn, "window_top_artists", "ta_short", False)] == ["Skipped", "Played"]
    assert window(conn, "window_top_artists", "ta_short", True) == [(1, "Played", 60000, 1)]


def test_top_tracks_rank_by_streams_then_minutes(conn):
    fact(conn, "tt_streams", date(2024, 4, 1), track="Often", plays=3, counted_plays=3, ms=180000)
    fact(conn, "tt_streams", date(2024, 4, 1), track="Long", plays=2, counted_plays=2, ms=600000)
    fact(conn, "tt_streams", date(2024, 4, 1), track="Longer", plays=2, counted_plays=2, ms=700000)
    fact(conn, "tt_streams", date(2024, 4, 1), track="Skipped", plays=9, counted_plays=0, ms_played=90000, ms_counted=0)
    rows = window(conn, "window_top_tracks", "tt_streams", False, False)
    assert [(rank, track, streams, ms) for rank, _, track, _, streams, ms, _ in rows] == [
        (1, "Often", 3, 180000), (2, "Longer", 2, 700000), (3, "Long", 2, 600000),
    ]  # fmt: skip


def test_a_tracks_first_play_is_its_local_date_or_its_utc_date_under_utc_days(conn):
    ended = datetime(2024, 3, 10, 23, 30, tzinfo=UTC)  # 08:30 on March 11 in Tokyo
    fact(conn, "tt_first", date(2024, 3, 11), utc_hour=datetime(2024, 3, 10, 23, tzinfo=UTC), first_ended_at=ended)
    fact(conn, "tt_first", date(2024, 5, 1))
    assert [row[6] for row in window(conn, "window_top_tracks", "tt_first", False, False)] == [date(2024, 3, 11)]
    assert [row[6] for row in window(conn, "window_top_tracks", "tt_first", False, True)] == [date(2024, 3, 10)]


def test_listener_years_sum_the_local_months_of_each_year(conn):
    month(conn, "ly_sum", date(2023, 12, 1), music_ms=60000)
    month(conn, "ly_sum", date(2024, 1, 1), music_ms=90000, music_plays=3, streams=2, podcast_plays=1, podcast_ms=30000)
    month(conn, "ly_sum", date(2024, 2, 1), music_ms=30000)
    rows = conn.execute(
        "SELECT year, music_plays, streams, music_minutes, podcast_minutes, music_ms, podcast_ms"
        " FROM marts.listener_years WHERE listener = 'ly_sum' ORDER BY year"
    ).fetchall()
    assert rows == [
        (2023, 1, 1, Decimal("1.00"), Decimal("0.00"), 60000, 0),
        (2024, 4, 3, Decimal("2.00"), Decimal("0.50"), 120000, 30000),
    ]


def test_a_lone_listener_of_a_year_has_no_percentile(conn):
    month(conn, "mp_lone", date(2030, 1, 1))
    row = conn.execute("SELECT listeners, percentile FROM marts.minutes_percentiles WHERE year = 2030").fetchall()
    assert row == [(1, None)]


def test_the_percentile_is_the_share_of_the_other_listeners_with_fewer_minutes(conn):
    for listener, minutes in (("mp_least", 1), ("mp_middle", 2), ("mp_most", 3)):
        month(conn, listener, date(2031, 5, 1), music_ms=minutes * 60000)
    rows = conn.execute(
        "SELECT listener, listeners, percentile FROM marts.minutes_percentiles WHERE year = 2031 ORDER BY listener"
    ).fetchall()
    assert rows == [
        ("mp_least", 3, Decimal("0.00")), ("mp_middle", 3, Decimal("50.00")), ("mp_most", 3, Decimal("100.00")),
    ]  # fmt: skip


def test_top_artists_view_lists_each_year_by_every_plays_minutes(conn):
    month(conn, "tav_year", date(2024, 1, 1))
    fact(conn, "tav_year", date(2024, 1, 5), artist="Short", plays=4, counted_plays=0, ms_played=100000, ms_counted=0)
    fact(conn, "tav_year", date(2024, 1, 5), artist="Streamed", ms=60000)
    rows = conn.execute(
        "SELECT year, rank, artist_name, minutes, streams FROM marts.top_artists WHERE listener = 'tav_year'"
    ).fetchall()
    assert rows == [(2024, 1, "Short", Decimal("1.67"), 0), (2024, 2, "Streamed", Decimal("1.00"), 1)]


def test_top_tracks_view_lists_each_years_streamed_tracks(conn):
    month(conn, "ttv_year", date(2024, 1, 1))
    fact(conn, "ttv_year", date(2024, 1, 5), track="Twice", plays=2, counted_plays=2, ms=120000)
    fact(conn, "ttv_year", date(2024, 1, 7), track="Once", ms=300000)
    fact(conn, "ttv_year", date(2024, 1, 7), track="Never", counted_plays=0, ms_played=20000, ms_counted=0)
    rows = conn.execute(
        "SELECT year, rank, item_key, track_name, streams, minutes, first_played FROM marts.top_tracks"
        " WHERE listener = 'ttv_year'"
    ).fetchall()
    assert rows == [
        (2024, 1, "names:Artist\tTwice", "Twice", 2, Decimal("2.00"), date(2024, 1, 5)),
        (2024, 2, "names:Artist\tOnce", "Once", 1, Decimal("5.00"), date(2024, 1, 7)),
    ]


def test_a_tracks_first_stream_is_its_first_play_of_30_s_or_more(conn):
    fact(conn, "tf_first", date(2024, 1, 5), counted_plays=0, ms_played=10000, ms_counted=0)
    fact(conn, "tf_first", date(2024, 2, 1))
    fact(conn, "tf_first", date(2024, 3, 1))
    fact(conn, "tf_first", date(2024, 1, 1), media="podcast", item_key="names:Artist\tTrack")
    rows = conn.execute("SELECT item_key, first_stream_date FROM marts.track_firsts WHERE listener = 'tf_first'")
    assert rows.fetchall() == [("names:Artist\tTrack", date(2024, 2, 1))]


def test_an_artists_first_stream_is_over_all_their_tracks(conn):
    fact(conn, "af_first", date(2024, 3, 1), artist="Band", track="Later")
    fact(conn, "af_first", date(2024, 2, 1), artist="Band", track="Earlier")
    fact(conn, "af_first", date(2024, 1, 1), artist="Band", track="Short", counted_plays=0, ms_counted=0)
    fact(conn, "af_first", date(2024, 1, 1), artist=None, track="Nobody")
    rows = conn.execute("SELECT artist_name, first_stream_date FROM marts.artist_firsts WHERE listener = 'af_first'")
    assert rows.fetchall() == [("Band", date(2024, 2, 1))]
