"""marts/rules: the UTC hour of a moment, the stream threshold, what a window counts and a day at most."""

from __future__ import annotations

from datetime import UTC, datetime

MODELS = ["marts.utc_hour", "marts.stream_min_ms", "marts.window_ms", "marts.day_ms"]


def test_utc_hour_is_the_start_of_the_utc_hour_whatever_the_sessions_zone(conn):
    conn.execute("SET LOCAL timezone = 'Asia/Kolkata'")  # +05:30: date_trunc would cut at half past
    hour = conn.execute("SELECT marts.utc_hour('2024-05-01 10:45:00+00')").fetchone()[0]
    assert hour == datetime(2024, 5, 1, 10, tzinfo=UTC)


def test_utc_hour_keeps_a_moment_on_the_hour(conn):
    assert conn.execute("SELECT marts.utc_hour('2024-05-01 10:00:00+00')").fetchone()[0] == datetime(
        2024, 5, 1, 10, tzinfo=UTC
    )


def test_a_stream_is_30_s_of_music_or_60_s_of_a_podcast(conn):
    row = conn.execute("SELECT marts.stream_min_ms('music'), marts.stream_min_ms('podcast')").fetchone()
    assert row == (30000, 60000)


def test_a_window_counts_every_ms_or_under_spotifys_rules_only_the_counted_ones(conn):
    row = conn.execute("SELECT marts.window_ms(false, 100000, 40000), marts.window_ms(true, 100000, 40000)").fetchone()
    assert row == (100000, 40000)


def test_a_days_time_is_its_plays_time_up_to_24_hours(conn):
    row = conn.execute("SELECT marts.day_ms(3600000), marts.day_ms(86400000), marts.day_ms(108000000)").fetchone()
    assert row == (3600000, 86400000, 86400000)
