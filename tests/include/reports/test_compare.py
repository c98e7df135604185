"""wrapped-lake compare on built plays with obvious answers: the score, shared artists, what each
missed, the JSON's bytes and the user errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest

from wrapped_lake.cli import main
from wrapped_lake.marts.build import build
from wrapped_lake.reports.compare import compare, to_json, to_text
from wrapped_lake.reports.wrapped import ReportError

START = datetime(2024, 3, 1, 12, tzinfo=UTC)


def play(artist: str, track: str, i: int) -> dict:
    return {"ended_at": START + timedelta(minutes=5 * i), "ms": 180_000, "artist_name": artist, "track_name": track,
            "track_uri": f"spotify:track:{artist}-{track}".replace(" ", "")}  # fmt: skip


def listen(plays_file, listener: str, counts: dict[tuple[str, str], int]) -> None:
    plays = [(artist, track) for (artist, track), n in counts.items() for _ in range(n)]
    plays_file(listener, [play(artist, track, i) for i, (artist, track) in enumerate(plays)])


ANN = {("Ana", "A1"): 20, ("Ana", "A2"): 15, ("Ana", "A3"): 10, ("Bo", "B1"): 10}  # 55 streams
BOB = {("Cy", "C1"): 30, ("Cy", "C2"): 20, ("Cy", "C3"): 10}  # 60, no track or artist of Ann's


@pytest.fixture
def built(lake, conn, plays_file):
    listen(plays_file, "ann", ANN)
    listen(plays_file, "bob", BOB)
    listen(plays_file, "cat", {("Ana", "A1"): 5, ("Bo", "B1"): 5, ("Cy", "C1"): 5})  # 15: too few for a score
    build(conn, lake)
    return conn


def test_a_listener_compared_with_themselves_scores_100_and_misses_nothing(built):
    same = compare(built, "ann", "ann", 2024)
    assert (same.score, same.shared_artists, same.missed_by_a, same.missed_by_b) == (100, ("Ana", "Bo"), (), ())


def test_disjoint_listeners_score_0_and_share_no_artist(built):
    apart = compare(built, "ann", "bob", None)
    assert (apart.score, apart.shared_artists) == (0, ())


def test_under_50_streams_gives_no_score_but_still_the_lists(built):
    few = compare(built, "ann", "cat", 2024)
    assert few.score is None
    assert few.shared_artists == ("Ana", "Bo")


def test_missed_lists_keep_at_most_2_per_artist_and_only_tracks_never_streamed(built):
    result = compare(built, "cat", "ann", 2024)
    assert [(t.name, t.artist, t.streams) for t in result.missed_by_a] == [("A2", "Ana", 15), ("A3", "Ana", 10)]
    assert [(t.name, t.artist, t.uri, t.streams) for t in result.missed_by_b] == [
        ("C1", "Cy", "spotify:track:Cy-C1", 5)
    ]
    by_bob = compare(built, "bob", "ann", 2024).missed_by_a
    assert [(t.name, t.streams) for t in by_bob] == [("A1", 20), ("A2", 15), ("B1", 10)]  # A3: Ana's third


def test_the_json_has_the_documented_keys_and_the_same_bytes_each_time(built):
    first = to_json(compare(built, "ann", "cat", None))
    assert first == to_json(compare(built, "ann", "cat", None))
    data = orjson.loads(first)
    assert list(data) == ["a", "b", "year", "score", "shared_artists", "missed_by_a", "missed_by_b"]
    assert data["year"] == "all"
    assert data["missed_by_a"] == [{"name": "C1", "artist": "Cy", "uri": "spotify:track:Cy-C1", "streams": 5}]
    assert b"compatibility not enough streams" in to_text(compare(built, "ann", "cat", None))


def test_an_unknown_listener_or_a_year_without_plays_is_a_report_error(built):
    with pytest.raises(ReportError, match="unknown listener 'dan'"):
        compare(built, "ann", "dan", 2024)
    with pytest.raises(ReportError, match="ann has no plays in 2023; years with plays: 2024"):
        compare(built, "ann", "bob", 2023)


def test_the_command_writes_the_json_or_a_summary(built, capsysbinary):
    assert main(["compare", "ann", "ann", "--year", "2024"]) == 0
    assert orjson.loads(capsysbinary.readouterr().out)["score"] == 100
    assert main(["compare", "ann", "bob", "--format", "text"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"ann and bob, of all time: compatibility 0/100\n")


def test_the_command_says_an_unknown_listener_in_one_line_and_exits_2(built, capsys):
    assert main(["compare", "ann", "dan"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown listener 'dan'" in err
