"""`catalog load`: every row checked against Spotify's ranges, bad rows rejected with their line, the file streamed."""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wrapped_lake.cli import main
from wrapped_lake.marts import catalog
from wrapped_lake.marts.catalog import load_catalog, read_catalog

HEADER = (
    "track_id", "artists", "album_name", "track_name", "popularity", "track_genre",
    "valence", "energy", "danceability", "acousticness", "tempo", "release_date",
)  # fmt: skip
GOOD = {
    "artists": "Ann",
    "album_name": "Alb",
    "track_name": "One",
    "popularity": "50",
    "track_genre": "pop",
    "valence": "0.5",
    "energy": "0.6",
    "danceability": "0.7",
    "acousticness": "0.1",
    "tempo": "120",
    "release_date": "1999-05-01",
}
NEXT_YEAR = datetime.now(UTC).year + 1


def track(track_id: str, **cells: str) -> dict:
    return {"track_id": track_id, **GOOD, **cells}


def write(path: Path, rows: list[dict], header: tuple[str, ...] = HEADER) -> Path:
    """A catalog CSV; the header is line 1, so row i (from 0) is line i + 2 when no value breaks a line."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def stored(conn) -> dict[str, dict]:
    cursor = conn.execute("SELECT * FROM curated.catalog_tracks")
    names = [c.name for c in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def test_a_fractional_popularity_rejects_its_row_and_the_rest_loads(conn, tmp_path):
    csv_file = write(tmp_path / "tracks.csv", [track("t1"), track("t2", popularity="50.7"), track("t3")])
    assert load_catalog(conn, csv_file) == {
        "tracks": 2,
        "with_release_year": 2,
        "rejected": 1,
        "first_rejections": [{"line": 3, "reason": "popularity '50.7' is not an integer from 0 to 100"}],
    }
    assert sorted(stored(conn)) == ["spotify:track:t1", "spotify:track:t3"]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("popularity", "1e10", "popularity '1e10' is not an integer from 0 to 100"),
        ("popularity", "abc", "popularity 'abc' is not an integer from 0 to 100"),
        ("popularity", "-1", "popularity '-1' is not an integer from 0 to 100"),
        ("popularity", "101", "popularity '101' is not an integer from 0 to 100"),
        ("valence", "inf", "valence 'inf' is not a number from 0 to 1"),
        ("valence", "7.5", "valence '7.5' is not a number from 0 to 1"),
        ("energy", "nan", "energy 'nan' is not a number from 0 to 1"),
        ("danceability", "-0.1", "danceability '-0.1' is not a number from 0 to 1"),
        ("acousticness", "1e999", "acousticness '1e999' is not a number from 0 to 1"),
        ("acousticness", "0,5", "acousticness '0,5' is not a number from 0 to 1"),
        ("tempo", "-120", "tempo '-120' is not a number of beats per minute from 0 to 300"),
        ("tempo", "301", "tempo '301' is not a number of beats per minute from 0 to 300"),
        ("release_date", "1899", "release_date '1899' is not a year from 1900 to " + str(NEXT_YEAR)),
        ("release_date", str(NEXT_YEAR + 1), f"release_date '{NEXT_YEAR + 1}' is not a year from 1900 to {NEXT_YEAR}"),
        ("release_date", "99", f"release_date '99' is not a year from 1900 to {NEXT_YEAR}"),
        ("release_date", "12/15/1981", f"release_date '12/15/1981' is not a year from 1900 to {NEXT_YEAR}"),
    ],
)
def test_a_value_out_of_range_or_unreadable_rejects_the_row_naming_column_and_value(
    conn, tmp_path, column, value, reason
):
    csv_file = write(tmp_path / "tracks.csv", [track("t1"), track("t2", **{column: value})])
    result = load_catalog(conn, csv_file)
    assert result["tracks"] == 1 and result["first_rejections"] == [{"line": 3, "reason": reason}]
    assert list(stored(conn)) == ["spotify:track:t1"]


@pytest.mark.parametrize(
    ("track_id", "reason"),
    [
        ("", "track_id is empty"),
        (" t2", "track_id ' t2' is not a Spotify track id"),
        ("spotify:track:t2", "track_id 'spotify:track:t2' is not a Spotify track id"),
        ("https://open.spotify.com/track/t2", "track_id 'https://open.spotify.com/track/t2' is not a Spotify track id"),
    ],
)
def test_a_missing_or_malformed_track_id_rejects_the_row(conn, tmp_path, track_id, reason):
    csv_file = write(tmp_path / "tracks.csv", [track("t1"), track(track_id)])
    assert load_catalog(conn, csv_file)["first_rejections"] == [{"line": 3, "reason": reason}]
    assert list(stored(conn)) == ["spotify:track:t1"]


def test_a_row_failing_several_checks_is_rejected_for_the_first_column(conn, tmp_path):
    csv_file = write(tmp_path / "tracks.csv", [track("t1", popularity="x", tempo="-1", release_date="y")])
    assert load_catalog(conn, csv_file)["first_rejections"][0]["reason"].startswith("popularity 'x'")


def test_empty_cells_are_stored_as_null_not_rejected(conn, tmp_path):
    empty = dict.fromkeys(("popularity", "valence", "energy", "danceability", "acousticness", "tempo"), "")
    csv_file = write(tmp_path / "tracks.csv", [track("t1", **empty, release_date="  ")])
    assert load_catalog(conn, csv_file) == {"tracks": 1, "with_release_year": 0}
    row = stored(conn)["spotify:track:t1"]
    assert row["popularity"] is None and row["valence"] is None and row["tempo"] is None
    assert row["release_year"] is None


def test_integral_popularity_and_padded_numbers_load(conn, tmp_path):
    csv_file = write(tmp_path / "tracks.csv", [track("t1", popularity="50.0", valence=" 0.25 ", tempo="1.2e2")])
    assert load_catalog(conn, csv_file)["tracks"] == 1
    row = stored(conn)["spotify:track:t1"]
    assert (row["popularity"], row["valence"], row["tempo"]) == (50, 0.25, 120.0)


def test_spotifys_unknown_year_and_undetected_tempo_are_stored_as_null(conn, tmp_path):
    csv_file = write(tmp_path / "tracks.csv", [track("t1", release_date="0000", tempo="0")])
    assert load_catalog(conn, csv_file) == {"tracks": 1, "with_release_year": 0}
    row = stored(conn)["spotify:track:t1"]
    assert row["release_year"] is None and row["tempo"] is None


@pytest.mark.parametrize(
    ("column", "value"),
    [("release_year", "2001"), ("year", "2001.0"), ("release_date", "2001-12"), ("album_release_date", "2001-12-31")],
)
def test_the_release_year_comes_from_any_release_column(conn, tmp_path, column, value):
    header = (*HEADER[:-1], column)
    csv_file = write(tmp_path / "tracks.csv", [{**track("t1"), column: value}], header)
    load_catalog(conn, csv_file)
    assert stored(conn)["spotify:track:t1"]["release_year"] == 2001


def test_a_row_keeps_its_first_artist_names_and_uri(conn, tmp_path):
    csv_file = write(tmp_path / "tracks.csv", [track("4uLU6hMCjMI75M1A2tKUQC", artists="Ann ; Bob;Cy")])
    load_catalog(conn, csv_file)
    assert stored(conn) == {
        "spotify:track:4uLU6hMCjMI75M1A2tKUQC": {
            "track_uri": "spotify:track:4uLU6hMCjMI75M1A2tKUQC",
            "track_name": "One",
            "artist_name": "Ann",
            "album_name": "Alb",
            "genre": "pop",
            "release_year": 1999,
            "popularity": 50,
            "valence": 0.5,
            "energy": 0.6,
            "danceability": 0.7,
            "acousticness": 0.1,
            "tempo": 120.0,
        }
    }


def test_a_row_with_the_wrong_number_of_fields_is_rejected_with_its_line(conn, tmp_path):
    csv_file = write(tmp_path / "tracks.csv", [track("t1")])
    with csv_file.open("a") as f:
        f.write("t2,Ann,Alb,Two\n" + ",".join([*track("t3").values(), "extra"]) + "\n")
    result = load_catalog(conn, csv_file)
    assert result["tracks"] == 1
    assert result["first_rejections"] == [
        {"line": 3, "reason": "4 fields where the header has 12"},
        {"line": 4, "reason": "13 fields where the header has 12"},
    ]


def test_lines_count_line_breaks_inside_quoted_values_and_blank_lines(conn, tmp_path):
    csv_file = write(tmp_path / "tracks.csv", [track("t1", track_name="Two\nlines"), track("t2", popularity="x")])
    with csv_file.open("a") as f:
        f.write("\n" + ",".join(track("t3", energy="2").values()) + "\n")
    result = load_catalog(conn, csv_file)
    assert [r["line"] for r in result["first_rejections"]] == [4, 6]
    assert stored(conn)["spotify:track:t1"]["track_name"] == "Two\nlines"


def test_the_first_row_of_a_repeated_track_id_wins_across_batches(conn, tmp_path, monkeypatch):
    monkeypatch.setattr(catalog, "BLOCK_BYTES", 512)  # about five rows a batch
    rows = [track(f"t{i % 7}", popularity=str(i), track_name=f"Line\n{i}") for i in range(40)]
    rows[30]["popularity"] = "bad"
    csv_file = write(tmp_path / "tracks.csv", rows)
    assert len(list(read_catalog(csv_file))) > 3
    result = load_catalog(conn, csv_file)
    assert result["tracks"] == 7 and result["first_rejections"] == [
        {"line": 2 + 2 * 30, "reason": "popularity 'bad' is not an integer from 0 to 100"}
    ]
    assert {uri: row["popularity"] for uri, row in stored(conn).items()} == {f"spotify:track:t{i}": i for i in range(7)}


def test_a_rejected_first_row_leaves_the_track_to_its_next_valid_row(conn, tmp_path):
    csv_file = write(tmp_path / "tracks.csv", [track("t1", valence="9"), track("t1", popularity="7")])
    assert load_catalog(conn, csv_file)["tracks"] == 1
    assert stored(conn)["spotify:track:t1"]["popularity"] == 7


def test_a_track_loaded_again_takes_the_newer_files_values(conn, tmp_path):
    load_catalog(conn, write(tmp_path / "old.csv", [track("t1", popularity="10")]))
    load_catalog(conn, write(tmp_path / "new.csv", [track("t1", popularity="90")]))
    assert stored(conn)["spotify:track:t1"]["popularity"] == 90


def test_a_file_missing_a_required_column_is_refused_whole(conn, tmp_path):
    csv_file = write(tmp_path / "tracks.csv", [track("t1")], header=HEADER[1:])
    with pytest.raises(ValueError, match="missing columns track_id"):
        load_catalog(conn, csv_file)


def test_a_file_unreadable_halfway_leaves_the_catalog_as_it_was(conn, tmp_path, monkeypatch):
    monkeypatch.setattr(catalog, "BLOCK_BYTES", 512)
    csv_file = write(tmp_path / "tracks.csv", [track(f"t{i}") for i in range(40)])
    with csv_file.open("ab") as f:
        f.write(b"t99,\xff\xfe,Alb,Bad bytes,50,pop,,,,,,\n")
    with pytest.raises(ValueError, match="cannot read as CSV"):
        load_catalog(conn, csv_file)
    assert stored(conn) == {}


def test_the_cli_prints_the_first_rejections_and_quarantines_them_all(lake, conn, tmp_path, capsys):
    rows = [track("t0"), *(track(f"t{i}", tempo="inf") for i in range(1, 16))]
    assert main(["catalog", "load", str(write(tmp_path / "tracks.csv", rows))]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["tracks"], out["rejected"], len(out["first_rejections"])) == (1, 15, 10)
    assert out["first_rejections"][0] == {
        "line": 3,
        "reason": "tempo 'inf' is not a number of beats per minute from 0 to 300",
    }
    listed = Path(out["rejections_file"])
    assert listed.is_relative_to(lake.quarantine)
    with listed.open(newline="") as f:
        assert [int(r["line"]) for r in csv.DictReader(f)] == list(range(3, 18))
    assert "15 rows of tracks.csv rejected" in json.loads(Path(f"{listed}.error.json").read_text())["reason"]


# Cells a catalog might hold, good and bad, and any text at all.
CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "0", "0.5", "1", "50", "50.7", "-1", "1e10", "1e999", "inf", "-inf", "nan", "NaN"]),
    st.sampled_from(["120", "0", "300.5", "1999", "1999-05-01", "0000", "2001.0", "4uLU6hMCjMI75M1A2tKUQC", "a;b"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries(dict.fromkeys(HEADER, CELLS)), min_size=1, max_size=8))
def test_any_cells_give_rows_within_ranges_or_rejections_at_their_line(rows):
    text = io.StringIO()
    writer = csv.DictWriter(text, HEADER)  # lines end in \r\n, so that a value holding \r is quoted
    writer.writeheader()
    starts = []
    for row in rows:
        starts.append(text.getvalue().count("\n") + 1)
        writer.writerow(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tracks.csv"
        path.write_text(text.getvalue(), encoding="utf-8")
        batches = list(read_catalog(path))
    accepted = [row for batch in batches for row in batch.rows.to_pylist()]
    rejections = [r for batch in batches for r in batch.rejections]
    written = [start for start, row in zip(starts, rows, strict=True) if any(row.values())]
    assert sorted([row["line"] for row in accepted] + [r.line for r in rejections]) == written
    assert all(r.reason for r in rejections)
    for row in accepted:
        assert row["track_uri"].startswith("spotify:track:")
        assert row["popularity"] is None or 0 <= row["popularity"] <= 100
        for feature in ("valence", "energy", "danceability", "acousticness"):
            assert row[feature] is None or (math.isfinite(row[feature]) and 0 <= row[feature] <= 1)
        assert row["tempo"] is None or 0 < row["tempo"] <= 300
        assert row["release_year"] is None or 1900 <= row["release_year"] <= NEXT_YEAR
