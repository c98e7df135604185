"""The catalog CSV reader (readers/catalog.py): one set of row rules for `catalog load` and the simulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from wrapped_lake.marts.catalog import read_catalog as loader_rows
from wrapped_lake.readers.catalog import read_catalog
from wrapped_lake.simulate.catalog import CatalogError, load_catalog_csv

HEADER = "track_id,artists,album_name,track_name,popularity,duration_ms,track_genre,valence,energy,danceability,"
HEADER += "acousticness,tempo\n"


def csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "tracks.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_rows_keep_their_track_id_and_spotifys_tempo_zero(tmp_path):
    (batch,) = read_catalog(csv(tmp_path, "t1,Ann;Bob,Alb,One,50,200000,pop,0.5,0.5,0.5,0.5,0"))
    assert batch.rows.select(["track_id", "artist_name", "tempo", "line"]).to_pylist() == [
        {"track_id": "t1", "artist_name": "Ann", "tempo": 0.0, "line": 2}
    ]


def test_durations_are_read_and_checked_only_when_asked(tmp_path):
    path = csv(tmp_path, "t1,Ann,Alb,One,50,-1,pop,0.5,0.5,0.5,0.5,120")
    assert [r.reason for batch in read_catalog(path) for r in batch.rejections] == []
    (batch,) = read_catalog(path, durations=True)
    assert [str(r) for r in batch.rejections] == ["line 2: duration_ms '-1' is not a whole number of milliseconds"]


def test_a_reader_that_needs_durations_refuses_a_file_without_them(tmp_path):
    path = tmp_path / "tracks.csv"
    path.write_text("track_id,artists,track_name,popularity,track_genre\nt1,Ann,One,50,pop\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing columns duration_ms"):
        list(read_catalog(path, durations=True))


def test_catalog_load_and_the_simulator_reject_a_row_for_the_same_reason(tmp_path):
    good, bad = "t1,Ann,Alb,One,50,200000,pop,0.5,0.5,0.5,0.5,120", "t2,Bob,Alb,Two,50,200000,pop,1.5,0,0,0,90"
    path = csv(tmp_path, good, bad)
    reason = "line 3: valence '1.5' is not a number from 0 to 1"
    assert [str(r) for batch in loader_rows(path) for r in batch.rejections] == [reason]
    with pytest.raises(CatalogError, match=reason):
        load_catalog_csv(path)
