"""marts/forecast: the series the feed's forecasts learn from. These views read every feed user, so
the tests use a continent and days of their own."""

from __future__ import annotations

from datetime import date

from .rows import account_day, insert

MODELS = ["marts.weekly_continent_activity", "marts.forecast_series"]


def feed_user(conn, listener: str, continent: str) -> None:
    insert(conn, "curated.feed_users", {"listener": listener, "country": "SE", "continent": continent,
                                        "subscription_type": "free", "file_id": 0})  # fmt: skip


def test_weekly_activity_counts_only_weeks_the_feed_covers_whole(conn):
    feed_user(conn, "wc_a", "Lemuria")
    feed_user(conn, "wc_b", "Lemuria")
    account_day(conn, "wc_a", date(2041, 1, 2), ms=60000)  # a Wednesday: its week starts before the feed
    account_day(conn, "wc_a", date(2041, 1, 7), ms=120000)  # the next week, Monday to Sunday
    account_day(conn, "wc_b", date(2041, 1, 13), ms=180000)
    account_day(conn, "wc_b", date(2041, 1, 19), ms=60000)  # a Saturday, the feed's last day: a partial week
    rows = conn.execute(
        "SELECT week, music_minutes, active_users FROM marts.weekly_continent_activity WHERE continent = 'Lemuria'"
    ).fetchall()
    assert rows == [(date(2041, 1, 7), 5, 2)]


def test_forecast_series_names_each_continents_series_and_leaves_out_the_last_day(conn):
    feed_user(conn, "fs_a", "Mu")
    # Two sessions on the first Monday, one a week later, one on the last day (a Sunday, left out).
    account_day(conn, "fs_a", date(2041, 2, 4), ms=90000, sessions=2)
    account_day(conn, "fs_a", date(2041, 2, 11), ms=90000)
    account_day(conn, "fs_a", date(2041, 2, 17), ms=90000)
    rows = conn.execute(
        "SELECT series, period, period_start, value FROM marts.forecast_series"
        " WHERE series LIKE '%:Mu' OR (series = 'daily_sessions' AND period_start >= '2041-02-01')"
        " ORDER BY 1, 3"
    ).fetchall()
    assert rows == [
        ("daily_sessions", "day", date(2041, 2, 4), 2),
        ("daily_sessions", "day", date(2041, 2, 11), 1),
        ("weekly_active_users:Mu", "week", date(2041, 2, 4), 1),
        ("weekly_active_users:Mu", "week", date(2041, 2, 11), 1),
        ("weekly_minutes:Mu", "week", date(2041, 2, 4), 1.5),
        ("weekly_minutes:Mu", "week", date(2041, 2, 11), 3.0),
    ]
