"""A user-loaded track catalog (Spotify Tracks Dataset layout) that enriches real exports by track URI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import psycopg
import pyarrow as pa

from wrapped_lake.platform import db
from wrapped_lake.platform.db import query

REQUIRED = ("track_id", "artists", "track_name", "popularity", "track_genre")
FEATURES = ("valence", "energy", "danceability", "acousticness", "tempo")
# The public dataset has no release date; some copies add one under one of these names.
RELEASE_COLUMNS = ("release_year", "year", "release_date", "album_release_date")


def read_catalog(path: Path | str) -> pa.Table:
    """The CSV as curated.catalog_tracks rows; ValueError with the reason when it cannot be used."""
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: cannot read as CSV: {err}") from err
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {', '.join(missing)} (expected the Spotify Tracks Dataset layout)")
    frame = frame.dropna(subset=["track_id"]).drop_duplicates("track_id", keep="first")
    release = next((c for c in RELEASE_COLUMNS if c in frame.columns), None)
    years = (
        pd.to_numeric(frame[release].str.slice(0, 4), errors="coerce")
        if release
        else pd.Series(float("nan"), index=frame.index)
    )
    numbers = {
        c: pd.to_numeric(frame[c], errors="coerce") if c in frame else pd.Series(float("nan"), index=frame.index)
        for c in ("popularity", *FEATURES)
    }
    return pa.table(
        {
            "track_uri": ("spotify:track:" + frame["track_id"]).tolist(),
            "track_name": frame["track_name"].tolist(),
            "artist_name": frame["artists"].str.split(";").str[0].str.strip().tolist(),
            "album_name": frame["album_name"].tolist() if "album_name" in frame else [None] * len(frame),
            "genre": frame["track_genre"].tolist(),
            "release_year": _numbers(years.where(years > 0), pa.int32()),
            "popularity": _numbers(numbers["popularity"], pa.int32()),
            **{c: _numbers(numbers[c], pa.float64()) for c in FEATURES},
        }
    )


def _numbers(values: pd.Series | None, arrow_type: pa.DataType) -> pa.Array:
    """Numbers with NaN (missing or unreadable) as null."""
    return pa.array(values, type=pa.float64(), from_pandas=True).cast(arrow_type)


def load_catalog(conn: psycopg.Connection, path: Path | str) -> dict:
    """Add (or replace) the CSV's tracks in curated.catalog_tracks; returns counts."""
    table = read_catalog(path)
    with conn.transaction():
        conn.execute(query("marts/stage_catalog"))
        db.copy_arrow(conn, "stage_catalog", table)
        loaded = conn.execute(query("marts/merge_catalog")).rowcount
    with_year = table.num_rows - table["release_year"].null_count
    return {"tracks": loaded, "with_release_year": with_year}
