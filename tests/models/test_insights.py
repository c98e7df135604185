"""marts/insights: obsessions, unusual days, the trend, top discoveries and forgotten favourites on
hand-made fact rows with planted answers (phases: tests/include/reports/test_insights.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from .rows import fact

MODELS = [
    "marts.insight_end", "marts.weekly_artist_shares", "marts.obsessions", "marts.daily_music_ms",
    "marts.daily_minutes_spread", "marts.unusual_days", "marts.weekly_minutes", "marts.minutes_trend",
    "marts.top_discoveries", "marts.past_favourites", "marts.forgotten_favourites",
]  # fmt: skip
YEAR_2024 = (date(2024, 1, 1), date(2024, 12, 31))


def monday(week: int) -> date:
    """The Monday of the 2024 week numbered from 0 (Jan 1, 2024 is a Monday)."""
    return date(2024, 1, 1) + timedelta(weeks=week)


def streams(conn, listener: str, day: date, artist: str, n: int, track: str = "Track", **columns) -> None:
    fact(conn, listener, day, artist=artist, track=track, plays=n, counted_plays=n, **columns)


def week_of(conn, listener: str, week: int, mix: dict[str, int]) -> None:
    for artist, n in mix.items():
        streams(conn, listener, monday(week), artist, n)


def rows(conn, function: str, *arguments) -> list[tuple]:
    placeholders = ", ".join(["%s"] * len(arguments))
    return conn.execute(f"SELECT * FROM marts.{function}({placeholders})", arguments).fetchall()


ORDINARY = {"A": 4, "B": 4, "C": 4, "D": 4, "E": 4}  # 20 streams, no artist above 20%


def test_insights_end_at_the_period_or_at_the_last_play_when_nothing_came_after(conn):
    fact(conn, "ie", date(2024, 6, 1))
    assert rows(conn, "insight_end", "ie", date(2024, 12, 31)) == [(date(2024, 6, 1),)]
    fact(conn, "ie", date(2025, 2, 1))
    assert rows(conn, "insight_end", "ie", date(2024, 12, 31)) == [(date(2024, 12, 31),)]
    assert rows(conn, "insight_end", "ie", date(9999, 12, 30)) == [(date(2025, 2, 1),)]


def test_weekly_artist_shares_are_of_monday_weeks(conn):
    streams(conn, "was", date(2024, 1, 3), "A", 3)  # Wednesday
    streams(conn, "was", date(2024, 1, 7), "B", 1)  # Sunday, the same week
    streams(conn, "was", date(2024, 1, 8), "B", 2)  # Monday, the next
    assert rows(conn, "weekly_artist_shares", "was", *YEAR_2024) == [
        (date(2024, 1, 1), "A", 3, 4, 0.75), (date(2024, 1, 1), "B", 1, 4, 0.25), (date(2024, 1, 8), "B", 2, 2, 1.0),
    ]  # fmt: skip


def test_a_planted_obsession_is_found_and_ordinary_weeks_are_not(conn):
    for week in range(14):
        week_of(conn, "ob", week, {"Z": 12, "A": 2, "B": 2, "C": 2, "D": 2} if week in (9, 10) else ORDINARY)
    assert rows(conn, "obsessions", "ob", *YEAR_2024) == [("Z", [monday(9), monday(10)], 0.6)]


def test_an_artist_already_at_a_tenth_before_is_no_obsession(conn):
    for week in range(12):
        week_of(conn, "ob_known", week, {"A": 10, "B": 10} if week == 9 else {"A": 3, "B": 17})
    assert rows(conn, "obsessions", "ob_known", *YEAR_2024) == []


def test_a_week_under_ten_streams_or_without_a_week_before_makes_no_obsession(conn):
    week_of(conn, "ob_small", 0, {"Z": 20})  # a first week: nothing before it
    for week in range(1, 10):
        week_of(conn, "ob_small", week, {"Z": 8, "A": 1} if week == 9 else ORDINARY)
    assert rows(conn, "obsessions", "ob_small", *YEAR_2024) == []


def test_a_planted_unusual_day_is_found_with_its_top_artist_and_ordinary_days_are_not(conn):
    first = date(2024, 3, 1)
    for day in range(60):
        fact(conn, "ud", first + timedelta(days=day), ms=(20 + day % 7) * 60000)  # 20 to 26 minutes
    fact(conn, "ud", date(2024, 4, 15), artist="Binge", ms=180 * 60000)
    fact(conn, "ud", date(2024, 4, 15), artist="Other", track="Another", ms=10 * 60000)
    assert rows(conn, "daily_minutes_spread", "ud", YEAR_2024[1])[0][1:] == (60, 23 * 60000.0, 2 * 60000.0, True)
    (found,) = rows(conn, "unusual_days", "ud", *YEAR_2024)
    assert (found[0], found[1], found[3]) == (date(2024, 4, 15), (23 + 180 + 10) * 60000, "Binge")


def test_under_30_active_days_no_day_is_judged(conn):
    for day in range(29):
        fact(conn, "ud_few", date(2024, 3, 1) + timedelta(days=day), ms=(20 + day % 7) * 60000)
    assert rows(conn, "daily_minutes_spread", "ud_few", YEAR_2024[1])[0][1:] == (29, 23 * 60000.0, 2 * 60000.0, False)
    assert rows(conn, "unusual_days", "ud_few", *YEAR_2024) == []
    fact(conn, "ud_few", date(2024, 4, 15), artist="Binge", ms=600 * 60000)  # the 30th active day
    assert [(day, artist) for day, _, _, artist in rows(conn, "unusual_days", "ud_few", *YEAR_2024)] == [
        (date(2024, 4, 15), "Binge")
    ]


def test_the_trend_compares_the_last_12_weeks_with_the_12_before(conn):
    end = date(2024, 6, 30)  # the last play: weeks count back from it
    for back in range(24):
        if back != 5:  # a week without music is a week of 0 minutes
            fact(conn, "tr", end - timedelta(weeks=back), ms=(90 if back < 12 else 60) * 60000)
    weeks = rows(conn, "weekly_minutes", "tr", YEAR_2024[1])
    assert weeks[0] == (end - timedelta(weeks=23, days=6), 60 * 60000)
    assert weeks[-1] == (end - timedelta(days=6), 90 * 60000) and weeks[-6] == (end - timedelta(weeks=5, days=6), 0)
    assert len(weeks) == 24
    assert rows(conn, "minutes_trend", "tr", YEAR_2024[1]) == [(11 * 90 * 60000, 12 * 60 * 60000, Decimal("37.5"))]


def test_the_trend_has_no_change_under_24_weeks(conn):
    for back in range(23):
        fact(conn, "tr_short", date(2024, 6, 30) - timedelta(weeks=back))
    assert rows(conn, "minutes_trend", "tr_short", YEAR_2024[1])[0][2] is None


def test_discoveries_are_first_streamed_in_the_year_more_than_3_times_at_most_2_per_artist(conn):
    streams(conn, "td", date(2023, 6, 1), "Past", 1, "Old")
    streams(conn, "td", date(2024, 2, 1), "Past", 10, "Old")  # first streamed in 2023
    streams(conn, "td", date(2024, 2, 1), "Many", 8, "M1", item_key="spotify:track:m1")
    streams(conn, "td", date(2024, 3, 1), "Many", 6, "M2")
    streams(conn, "td", date(2024, 4, 1), "Many", 5, "M3")  # the artist's third
    streams(conn, "td", date(2024, 4, 1), "Few", 3, "F1")  # not more than 3
    streams(conn, "td", date(2024, 4, 1), "Few", 4, "F2")
    found = rows(conn, "top_discoveries", "td", *YEAR_2024)
    assert [(rank, uri, name, artist, n) for rank, _, uri, name, artist, n in found] == [
        (1, "spotify:track:m1", "M1", "Many", 8), (2, None, "M2", "Many", 6), (3, None, "F2", "Few", 4),
    ]  # fmt: skip


def test_forgotten_favourites_leave_out_anything_streamed_in_the_last_6_months(conn):
    streams(conn, "ff", date(2023, 3, 1), "Band", 10, "Gone")
    fact(conn, "ff", date(2024, 10, 1), artist="Band", track="Gone", plays=1, counted_plays=0)  # a skip, no stream
    streams(conn, "ff", date(2023, 3, 1), "Band", 8, "Back")
    streams(conn, "ff", date(2024, 9, 1), "Band", 1, "Back")  # in the last 6 months
    streams(conn, "ff", date(2023, 2, 1), "Band", 5, "Faded")
    streams(conn, "ff", date(2024, 3, 1), "Band", 1, "Faded")  # in the last 12 months, not the last 6
    streams(conn, "ff", date(2024, 5, 1), "Band", 20, "Recent")  # no past
    streams(conn, "ff", date(2025, 1, 5), "Band", 1, "Gone")  # after the year: the year ends on Dec 31
    past = rows(conn, "past_favourites", "ff", YEAR_2024[1])
    assert [(rank, name, n, last) for rank, _, _, name, _, n, last, _ in past] == [
        (1, "Gone", 10, date(2023, 3, 1)), (2, "Back", 8, date(2024, 9, 1)), (3, "Faded", 5, date(2024, 3, 1)),
    ]  # fmt: skip
    forgotten = rows(conn, "forgotten_favourites", "ff", YEAR_2024[1])
    assert [(rank, name, n) for rank, _, _, name, _, n in forgotten] == [(1, "Gone", 10), (2, "Faded", 5)]


def test_without_streams_before_the_last_12_months_there_are_no_past_favourites(conn):
    streams(conn, "ff_new", date(2024, 2, 1), "Band", 9, "New")
    assert rows(conn, "past_favourites", "ff_new", YEAR_2024[1]) == []
