"""The track catalog: a deterministic synthetic one, and the Spotify Tracks Dataset CSV layout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from simfeed import read_feed

from wrapped_lake.simulate import simulate
from wrapped_lake.simulate.catalog import (
    LATEST_RELEASE_YEAR,
    UNKNOWN_YEAR,
    CatalogError,
    default_catalog,
    load_catalog_csv,
    synthetic_catalog,
)

# The Spotify Tracks Dataset's columns, in its order.
CSV_COLUMNS = (
    "track_id", "artists", "album_name", "track_name", "popularity", "duration_ms", "explicit", "danceability",
    "energy", "key", "loudness", "mode", "speechiness", "acousticness", "instrumentalness", "liveness", "valence",
    "tempo", "time_signature", "track_genre",
)  # fmt: skip


def _csv_rows() -> pd.DataFrame:
    base = {
        "album_name": "Album",
        "popularity": 50,
        "duration_ms": 200_000,
        "explicit": False,
        "danceability": 0.5,
        "energy": 0.6,
        "key": 1,
        "loudness": -5.0,
        "mode": 1,
        "speechiness": 0.05,
        "acousticness": 0.2,
        "instrumentalness": 0.0,
        "liveness": 0.1,
        "valence": 0.4,
        "tempo": 120.0,
        "time_signature": 4,
    }
    rows = [
        {**base, "track_id": "t1", "artists": "Ann;Bob", "track_name": "One", "track_genre": "pop"},
        {**base, "track_id": "t2", "artists": "Bob", "track_name": "Two", "track_genre": "rock"},
        {**base, "track_id": "t1", "artists": "Ann;Bob", "track_name": "One", "track_genre": "dance"},
        {**base, "track_id": "t3", "artists": "Ann", "track_name": "Three", "track_genre": "pop", "popularity": 90},
    ]
    return pd.DataFrame(rows, columns=["Unnamed: 0", *CSV_COLUMNS])


def test_the_synthetic_catalog_is_deterministic() -> None:
    first, second = synthetic_catalog(seed=3, artists=300), synthetic_catalog(seed=3, artists=300)
    assert (first.track_id == second.track_id).all() and (first.track_name == second.track_name).all()
    assert (first.popularity == second.popularity).all()


def test_the_default_catalog_is_large() -> None:
    catalog = default_catalog()
    assert catalog.artist_name.size >= 3000 and len(catalog) >= 20_000
    assert np.unique(catalog.track_id).size == len(catalog) and np.unique(catalog.artist_name).size == 4000


def test_catalog_values_are_in_range() -> None:
    catalog = default_catalog()
    assert catalog.popularity.min() >= 0 and catalog.popularity.max() <= 100
    assert catalog.release_year.max() <= LATEST_RELEASE_YEAR and catalog.release_year.min() >= 1960
    assert catalog.duration_ms.min() >= 60_000 and catalog.duration_ms.max() <= 900_000
    for feature in (catalog.valence, catalog.energy, catalog.danceability, catalog.acousticness):
        assert feature.min() >= 0 and feature.max() <= 1


def test_audio_features_depend_on_the_genre() -> None:
    catalog = default_catalog()
    genre = np.array(catalog.genres)[catalog.genre]
    assert catalog.acousticness[genre == "classical"].mean() > catalog.acousticness[genre == "metal"].mean() + 0.5
    assert catalog.energy[genre == "metal"].mean() > catalog.energy[genre == "ambient"].mean() + 0.5


def test_each_artist_owns_one_contiguous_slice() -> None:
    catalog = default_catalog()
    bounds = catalog.artist_bounds
    assert bounds[0] == 0 and bounds[-1] == len(catalog) and (np.diff(bounds) >= 1).all()
    assert (np.diff(catalog.artist) >= 0).all()


def test_a_csv_in_the_dataset_layout_loads(tmp_path: Path) -> None:
    path = tmp_path / "dataset.csv"
    _csv_rows().to_csv(path, index=False)
    catalog = load_catalog_csv(path)
    assert sorted(catalog.track_id) == ["t1", "t2", "t3"]
    assert sorted(catalog.artist_name) == ["Ann", "Bob"]  # the first listed artist counts
    assert not catalog.has_release_year and (catalog.release_year == UNKNOWN_YEAR).all()
    assert catalog.popularity.max() == 90


def test_a_csv_drops_tracks_too_short_to_play(tmp_path: Path) -> None:
    path = tmp_path / "dataset.csv"
    rows = _csv_rows()
    rows.loc[1, "duration_ms"] = 0
    rows.to_csv(path, index=False)
    assert sorted(load_catalog_csv(path).track_id) == ["t1", "t3"]


def test_a_csv_missing_columns_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "dataset.csv"
    _csv_rows().drop(columns=["tempo", "track_genre"]).to_csv(path, index=False)
    with pytest.raises(CatalogError, match="missing columns track_genre, tempo"):
        load_catalog_csv(path)


def test_a_csv_with_a_non_number_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "dataset.csv"
    rows = _csv_rows()
    rows["popularity"] = rows["popularity"].astype(object)
    rows.loc[1, "popularity"] = "high"
    rows.to_csv(path, index=False)
    with pytest.raises(CatalogError, match="line 3: popularity 'high' is not an integer from 0 to 100"):
        load_catalog_csv(path)


def test_a_csv_with_a_value_out_of_range_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "dataset.csv"
    rows = _csv_rows()
    rows.loc[2, "duration_ms"] = -5
    rows.to_csv(path, index=False)
    with pytest.raises(CatalogError, match="line 4: duration_ms '-5' is not a whole number of milliseconds"):
        load_catalog_csv(path)


def test_catalog_errors_are_value_errors() -> None:
    assert issubclass(CatalogError, ValueError)


def test_a_csv_catalog_feeds_the_simulator_with_null_release_years(tmp_path: Path) -> None:
    path = tmp_path / "dataset.csv"
    _csv_rows().to_csv(path, index=False)
    feed = read_feed(simulate(3, 1, dt.date(2024, 3, 4), 1, tmp_path / "out", catalog=load_catalog_csv(path)))
    assert set(feed["songId"]) <= {"t1", "t2", "t3"} and feed["releaseYear"].isna().all()
