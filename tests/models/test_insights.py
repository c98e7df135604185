"""marts/insights: obsessions, unusual days, the trend, top discoveries, forgotten favourites and the
year in music's extras on hand-made fact rows with planted answers (phases:
tests/include/reports/test_insights.py). The daily tables the insights read are filled from those
rows by the build's own fills, as a build rebuilding the listener whole fills them (summed)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from psycopg import sql

from wrapped_lake.marts.build import WHOLE
from wrapped_lake.platform import models
from wrapped_lake.platform.db import query

from .rows import fact, insert

MODELS = [
    "marts.insight_end", "marts.weekly_artist_shares", "marts.obsessions", "marts.daily_music_ms",
    "marts.daily_minutes_spread", "marts.unusual_days", "marts.weekly_minutes", "marts.minutes_trend",
    "marts.top_discoveries", "marts.past_favourites", "marts.forgotten_favourites", "marts.listener_days",
    "marts.listener_day_artists", "marts.catalog_streams", "marts.release_year_streams", "marts.genre_hours",
    "marts.top_artist_months", "marts.daily_calendar",
]  # fmt: skip
YEAR_2024 = (date(2024, 1, 1), date(2024, 12, 31))
DAILY = ["marts.listener_days", "marts.listener_day_artists"]
TABLES = {"facts": "hourly_plays", "days": "listener_days", "day_artists": "listener_day_artists"}


def summed(conn, listener: str) -> None:
    """Run the build's daily fills over the listener's fact rows, the listener rebuilt whole."""
    conn.execute("DROP TABLE IF EXISTS build_targets")
    conn.execute(query("marts/create_targets"))
    conn.execute(
        "INSERT INTO build_targets (listener, timezone, whole, feed, from_hour, to_hour)"
        " VALUES (%s, 'UTC', true, false, %s, %s)",
        (listener, *WHOLE),
    )
    tables = {key: sql.Identifier("marts", name) for key, name in TABLES.items()}
    for model in models.build_order(DAILY, built=["marts.hourly_plays"]):
        conn.execute(sql.SQL(query(model.path)).format(**tables))


def monday(week: int) -> date:
    """The Monday of the 2024 week numbered from 0 (Jan 1, 2024 is a Monday)."""
    return date(2024, 1, 1) + timedelta(weeks=week)


def streams(conn, listener: str, day: date, artist: str, n: int, track: str = "Track", **columns) -> None:
    fact(conn, listener, day, artist=artist, track=track, plays=n, counted_plays=n, **columns)


def week_of(conn, listener: str, week: int, mix: dict[str, int]) -> None:
    for artist, n in mix.items():
        streams(conn, listener, monday(week), artist, n)


def rows(conn, function: str, *arguments) -> list[tuple]:
    summed(conn, arguments[0])
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


def test_the_daily_fills_sum_the_fact_per_local_date_and_per_date_and_artist(conn):
    fact(conn, "dl", date(2024, 5, 1), artist="A", ms=60000)
    fact(conn, "dl", date(2024, 5, 1), artist="A", track="Other", plays=2, counted_plays=0, ms=20000)
    fact(conn, "dl", date(2024, 5, 1), artist=None, ms=30000)  # counts for the day, for no artist
    fact(conn, "dl", date(2024, 5, 2), media="podcast", item_key="Cast", artist=None, ms=120000)
    summed(conn, "dl")
    days = "SELECT local_date, music_plays, streams, music_ms, podcast_plays, podcast_ms FROM marts.listener_days"
    assert conn.execute(days + " WHERE listener = 'dl' ORDER BY 1").fetchall() == [
        (date(2024, 5, 1), 4, 2, 110000, 0, 0), (date(2024, 5, 2), 0, 0, 0, 1, 120000),
    ]  # fmt: skip
    artists = "SELECT local_date, artist_name, streams, ms_played FROM marts.listener_day_artists WHERE listener = 'dl'"
    assert conn.execute(artists).fetchall() == [(date(2024, 5, 1), "A", 1, 80000)]
    assert rows(conn, "daily_music_ms", "dl", *YEAR_2024) == [(date(2024, 5, 1), 110000)]  # music days only


def test_a_day_over_24_hours_counts_24_in_the_daily_figures(conn):
    fact(conn, "dl_long", date(2024, 5, 1), ms=30 * 3600 * 1000)
    assert rows(conn, "daily_music_ms", "dl_long", *YEAR_2024) == [(date(2024, 5, 1), 24 * 3600 * 1000)]


def test_the_calendar_has_every_day_of_the_period_and_0_without_music(conn):
    fact(conn, "cal", date(2024, 2, 29), ms=90000)
    calendar = rows(conn, "daily_calendar", "cal", *YEAR_2024)
    assert len(calendar) == 366 and calendar[0] == (date(2024, 1, 1), 0) and calendar[59] == (date(2024, 2, 29), 90000)
    assert sum(ms for _, ms in calendar) == 90000


def test_the_top_artists_months_rank_as_the_calendar_wrapped_and_count_streams_per_month(conn):
    for n, artist in enumerate(["E", "D", "C", "B", "A", "F"]):  # F has least minutes: not in the top 5
        streams(conn, "tam", date(2024, 1 + n, 3), artist, 2, ms=(10 - n) * 60000)
    streams(conn, "tam", date(2024, 12, 1), "E", 3, ms=60000)
    fact(conn, "tam", date(2024, 11, 1), artist="D", plays=1, counted_plays=0, ms=1000)  # a play, no stream
    found = rows(conn, "top_artist_months", "tam", *YEAR_2024)
    assert found == [
        (1, "E", 1, 2), (1, "E", 12, 3), (2, "D", 2, 2), (2, "D", 11, 0), (3, "C", 3, 2), (4, "B", 4, 2),
        (5, "A", 5, 2),
    ]  # fmt: skip
    top = conn.execute("SELECT artist_name FROM marts.window_top_artists('tam', '2024-01-01', '2024-12-31',"
                       " '-infinity', 'infinity', false) ORDER BY rank").fetchall()  # fmt: skip
    assert [artist for (artist,) in top] == ["E", "D", "C", "B", "A"]


def test_release_years_and_genres_by_hour_come_from_the_catalog_first_then_the_feeds(conn):
    def song(key: str, day: date, n: int, hour: int) -> None:
        streams(conn, "cat", day, "Band", n, key, item_key=f"spotify:track:{key}", local_hour=hour)

    song("old", date(2024, 3, 1), 3, 8)
    song("old", date(2024, 3, 2), 2, 21)
    song("new", date(2024, 3, 1), 4, 8)
    song("feed", date(2024, 3, 1), 1, 23)
    song("unknown", date(2024, 3, 1), 5, 8)
    for uri, genre, year in (("old", "jazz", 1959), ("new", "pop", 2024)):
        catalog_row = {"track_uri": f"spotify:track:{uri}", "genre": genre, "release_year": year}
        insert(conn, "curated.catalog_tracks", catalog_row)
    for track_id in ("new", "feed"):  # "new": the loaded catalog's values come first
        insert(conn, "curated.feed_tracks", {"track_id": track_id, "genre": "rock", "release_year": 1990, "file_id": 0})
    known = rows(conn, "catalog_streams", "cat", *YEAR_2024)
    assert sum(n for _, _, n, in_catalog, _, _ in known if in_catalog) == 10 and sum(n for _, _, n, *_ in known) == 15
    assert rows(conn, "release_year_streams", "cat", *YEAR_2024) == [(1959, 5), (1990, 1), (2024, 4)]
    assert rows(conn, "genre_hours", "cat", *YEAR_2024) == [
        (1, "jazz", 8, 3), (1, "jazz", 21, 2), (2, "pop", 8, 4), (3, "rock", 23, 1),
    ]  # fmt: skip
