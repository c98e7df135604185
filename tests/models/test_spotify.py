"""marts/spotify: the figures of Spotify's own Wrapped, each null when the file holds no valid value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from psycopg.types.json import Jsonb

from .rows import add_file

MODELS = ["marts.json_amount_or_null", "marts.json_count_or_null", "marts.json_date_or_null", "marts.spotify_wrapped"]


def each(conn, function: str, values: list) -> list:
    return [conn.execute(f"SELECT marts.{function}(%s)", (Jsonb(v),)).fetchone()[0] for v in values]


def test_an_amount_is_a_json_number_of_0_or_more(conn):
    assert each(conn, "json_amount_or_null", [12.5, 0, -1, "12", None, [1]]) == [
        Decimal("12.5"), Decimal(0), None, None, None, None,
    ]  # fmt: skip


def test_a_count_is_a_whole_json_number_that_fits_an_integer(conn):
    assert each(conn, "json_count_or_null", [3, 0, 3.5, -1, 2147483647, 2147483648, "3"]) == [
        3, 0, None, None, 2147483647, None, None,
    ]  # fmt: skip


def test_a_date_is_a_json_string_starting_with_a_real_date(conn):
    values = ["2024-03-05", "2024-03-05T10:00:00Z", "2024-02-30", "0000-01-01", "March 5", 20240305]
    assert each(conn, "json_date_or_null", values) == [date(2024, 3, 5), date(2024, 3, 5), None, None, None, None]


def test_spotify_wrapped_reads_each_figure_of_the_document(conn):
    document = {
        "yearlyMetrics": {"mostListenedDay": "2024-06-01", "mostListenedDayMinutes": 181.5},
        "topTracks": {"topTrackPlayCount": 42, "topTrackFirstPlayedDate": "2024-01-02T08:00:00Z"},
        "topPodcasts": {"topPodcastMilliseconds": 90000},
    }
    file_id = add_file(conn, "sw_reader", kind="wrapped")
    conn.execute(
        "INSERT INTO curated.spotify_wrapped (listener, year, document, file_id) VALUES ('sw_reader', 2024, %s, %s)",
        (Jsonb(document), file_id),
    )
    row = conn.execute(
        "SELECT year, most_listened_day, most_listened_day_minutes, top_track_play_count, top_track_first_played,"
        " top_podcast_minutes FROM marts.spotify_wrapped WHERE listener = 'sw_reader'"
    ).fetchall()
    assert row == [(2024, date(2024, 6, 1), Decimal("181.5"), 42, date(2024, 1, 2), Decimal("1.50"))]


def test_spotify_wrapped_gives_null_for_a_missing_or_invalid_figure(conn):
    document = {"yearlyMetrics": {"mostListenedDay": "soon", "mostListenedDayMinutes": -3}, "topTracks": {}}
    file_id = add_file(conn, "sw_broken", kind="wrapped")
    conn.execute(
        "INSERT INTO curated.spotify_wrapped (listener, year, document, file_id) VALUES ('sw_broken', 2024, %s, %s)",
        (Jsonb(document), file_id),
    )
    row = conn.execute(
        "SELECT most_listened_day, most_listened_day_minutes, top_track_play_count, top_track_first_played,"
        " top_podcast_minutes FROM marts.spotify_wrapped WHERE listener = 'sw_broken'"
    ).fetchone()
    assert row == (None, None, None, None, None)
