"""A user-loaded track catalog (Spotify Tracks Dataset layout) that enriches real exports by track URI."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import psycopg
import pyarrow.compute as pc

from wrapped_lake.platform import db
from wrapped_lake.platform.db import query
from wrapped_lake.readers import catalog as reader
from wrapped_lake.readers.catalog import CatalogBatch, Rejection
from wrapped_lake.zones.quarantine import quarantine

# The loader's memory: see readers/catalog.py's BLOCK_BYTES for what the block size costs.
BLOCK_BYTES = reader.BLOCK_BYTES
SHOWN_REJECTIONS = 10


def read_catalog(path: Path | str) -> Iterator[CatalogBatch]:
    """The CSV's checked rows as curated.catalog_tracks columns (+ line), block by block;
    Spotify's tempo 0, "no tempo detected", becomes null so that it does not drag a listener's
    average tempo down."""
    for batch in reader.read_catalog(path, block_bytes=BLOCK_BYTES):
        rows = batch.rows
        uri = pc.binary_join_element_wise("spotify:track:", rows["track_id"], "")
        rows = rows.set_column(0, "track_uri", uri)
        tempo = rows["tempo"]
        rows = rows.set_column(
            rows.schema.get_field_index("tempo"), "tempo", pc.if_else(pc.equal(tempo, 0), None, tempo)
        )
        yield CatalogBatch(rows, batch.rejections)


def load_catalog(conn: psycopg.Connection, path: Path | str, *, quarantine_root: Path | None = None) -> dict:
    """Add (or replace) the CSV's valid tracks in curated.catalog_tracks; returns counts, and when rows were
    rejected their number, the first few, and (given the quarantine root) the file listing all of them."""
    path = Path(path)
    rejections: list[Rejection] = []
    # One transaction: a file found unreadable halfway leaves the catalog as it was.
    with conn.transaction():
        conn.execute(query("marts/stage_catalog"))
        for batch in read_catalog(path):
            db.copy_arrow(conn, "stage_catalog", batch.rows)
            rejections.extend(batch.rejections)
        tracks, with_year = conn.execute(query("marts/merge_catalog")).fetchone()
    result = {"tracks": tracks, "with_release_year": with_year}
    if rejections:
        result["rejected"] = len(rejections)
        result["first_rejections"] = [asdict(r) for r in rejections[:SHOWN_REJECTIONS]]
        if quarantine_root is not None:
            result["rejections_file"] = str(_quarantine(quarantine_root, path, rejections))
    return result


def _quarantine(root: Path, path: Path, rejections: list[Rejection]) -> Path:
    """All rejections as a CSV (line, reason) in the quarantine zone, with the zone's .error.json beside it."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["line", "reason"])
    writer.writerows((r.line, r.reason) for r in rejections)
    data = text.getvalue().encode()
    return quarantine(
        root,
        "catalog",
        f"{path.stem}.rejected.csv",
        data,
        reason=f"{len(rejections)} rows of {path.name} rejected, the rest loaded; the first at {rejections[0]}",
        digest=hashlib.sha256(data).hexdigest(),
        kind="catalog_rows",
    )
