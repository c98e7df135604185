"""marts/compare: the compatibility score, shared top artists and missed tracks on hand-made fact
rows with obvious answers."""

from __future__ import annotations

from datetime import date

from .rows import fact

MODELS = ["marts.listener_track_streams", "marts.compatibility", "marts.shared_top_artists", "marts.missed_tracks"]
YEAR_2024 = (date(2024, 1, 1), date(2024, 12, 31))
DAY = date(2024, 3, 1)


def streams(conn, listener: str, artist: str, track: str, n: int, day: date = DAY, **columns) -> None:
    fact(conn, listener, day, artist=artist, track=track, plays=n, counted_plays=n, **columns)


def rows(conn, function: str, *arguments) -> list[tuple]:
    placeholders = ", ".join(["%s"] * len(arguments))
    return conn.execute(f"SELECT * FROM marts.{function}({placeholders})", arguments).fetchall()


def test_track_streams_count_streams_of_music_in_the_period_only(conn):
    streams(conn, "ts", "A", "One", 3)
    streams(conn, "ts", "A", "One", 2, day=date(2024, 7, 1))
    streams(conn, "ts", "A", "One", 9, day=date(2025, 1, 1))  # another year
    streams(conn, "ts", "A", "Short", 0)  # played, never streamed
    fact(conn, "ts", DAY, artist="Show", track="Episode", media="podcast", item_key="episode", counted_plays=4)
    assert rows(conn, "listener_track_streams", "ts", *YEAR_2024) == [("names:A\tOne", "One", "A", 5)]


def test_a_listener_compared_with_themselves_scores_100(conn):
    for i, n in enumerate([30, 17, 5, 1]):
        streams(conn, "self", f"A{i}", f"T{i}", n)
    assert rows(conn, "compatibility", "self", "self", *YEAR_2024) == [(100, 53, 53)]


def test_listeners_with_no_track_in_common_score_0(conn):
    streams(conn, "left", "A", "One", 60)
    streams(conn, "right", "A", "Two", 60)
    assert rows(conn, "compatibility", "left", "right", *YEAR_2024) == [(0, 60, 60)]


def test_the_score_is_the_rounded_cosine_of_the_stream_counts(conn):
    streams(conn, "cx", "A", "One", 30)
    streams(conn, "cx", "A", "Two", 40)
    streams(conn, "cy", "A", "One", 50)  # cosine 30*50 / (50*50) = 0.6
    assert rows(conn, "compatibility", "cx", "cy", *YEAR_2024) == [(60, 70, 50)]


def test_under_50_streams_on_either_side_gives_no_score(conn):
    streams(conn, "few", "A", "One", 49)
    streams(conn, "many", "A", "One", 500)
    assert rows(conn, "compatibility", "few", "many", *YEAR_2024) == [(None, 49, 500)]
    assert rows(conn, "compatibility", "many", "few", *YEAR_2024) == [(None, 500, 49)]
    assert rows(conn, "compatibility", "many", "nobody", *YEAR_2024) == [(None, 500, 0)]


def test_shared_artists_are_those_in_both_top_50s_by_the_sum_of_their_ranks(conn):
    for i in range(51):  # 51 artists each: the 51st is outside the top 50
        streams(conn, "sa", f"X{i:02}", "T", 100 - i)
    streams(conn, "sb", "X50", "T", 9)  # b's first, but a's 51st
    streams(conn, "sb", "X03", "T", 8)
    streams(conn, "sb", "X01", "T", 7)
    streams(conn, "sb", "Only b", "T", 6)
    assert rows(conn, "shared_top_artists", "sa", "sb", *YEAR_2024) == [(1, "X01", 2, 3), (2, "X03", 4, 2)]


def test_missed_tracks_are_what_the_other_streamed_and_this_one_never_did_at_most_2_per_artist(conn):
    for track, n in [("Big", 9), ("Mid", 8), ("Small", 7)]:
        streams(conn, "mo", "A", track, n)
    streams(conn, "mo", "B", "Shared", 6)
    streams(conn, "mo", "B", "Heard before", 5)
    streams(conn, "mo", "C", "Only other", 1, item_key="spotify:track:c1")
    streams(conn, "ml", "B", "Shared", 1)
    streams(conn, "ml", "B", "Heard before", 1, day=date(2019, 5, 1))  # streamed years ago: not missed
    streams(conn, "ml", "A", "Big", 0)  # played but never streamed: still missed
    assert rows(conn, "missed_tracks", "ml", "mo", *YEAR_2024) == [
        (1, "names:A\tBig", None, "Big", "A", 9),
        (2, "names:A\tMid", None, "Mid", "A", 8),
        (3, "spotify:track:c1", "spotify:track:c1", "Only other", "C", 1),
    ]


def test_missed_tracks_stop_at_50(conn):
    for i in range(60):
        streams(conn, "m50", f"Artist {i:02}", "T", 100 - i)
    missed = rows(conn, "missed_tracks", "nobody", "m50", *YEAR_2024)
    assert [r[0] for r in missed] == list(range(1, 51))
    assert missed[-1][4] == "Artist 49"
