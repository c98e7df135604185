"""Catalog load speed and memory: `make bench` (or `python bench/bench_catalog.py [--rows N]`).

Figures, all measured in this run on this machine: `wrapped-lake catalog load` of a generated CSV
in the Spotify Tracks Dataset layout (2,000,000 rows, about 1 GB: long names, a fifth of the rows
repeating an earlier track_id as the public dataset does across genres, one row in a thousand with a
fractional popularity) into a fresh database, in a child process as the CLI runs it: rows/s, and the
child's peak resident memory (target < 1 GB; before streaming, the loader read the whole file with
pandas: 92 s and a 3.5 GB peak on this file, measured once).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.db import connect, database_url, stop_embedded

CHUNK = 100_000
BASE62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype="S1")
GENRES = np.array(["acoustic", "afrobeat", "alt-rock", "ambient", "black-metal", "blues", "classical", "pop"])
FILLER = " of the long and winding road back home again, remastered edition with bonus"


def write_catalog(path: Path, rows: int, seed: int = 1) -> None:
    """A catalog CSV of `rows` rows in the public dataset's 21 columns (bench setup, not timed)."""
    rng = np.random.default_rng(seed)
    with pacsv.CSVWriter(path, _chunk(rng, 0, 1).schema) as writer:
        for start in range(0, rows, CHUNK):
            writer.write_table(_chunk(rng, start, min(CHUNK, rows - start)))


def _chunk(rng: np.random.Generator, start: int, n: int) -> pa.Table:
    index = np.arange(start, start + n)
    # A fifth of the rows repeat an earlier id (the same track under another genre).
    source = np.where(rng.random(n) < 0.2, (index * rng.random(n)).astype(np.int64), index)
    ids = _ids(source)
    numbers = pc.cast(pa.array(index), pa.string())
    popularity = pc.cast(pa.array(rng.integers(0, 101, n)), pa.string())
    popularity = pc.if_else(pa.array(rng.random(n) < 0.001), "50.7", popularity)
    return pa.table(
        {
            "": index,
            "track_id": ids,
            "artists": pc.binary_join_element_wise("Artist ", numbers, ";Featured Guest ", numbers, ""),
            "album_name": pc.binary_join_element_wise("Album ", numbers, FILLER + FILLER, ""),
            "track_name": pc.binary_join_element_wise("Track ", numbers, FILLER + FILLER, ""),
            "popularity": popularity,
            "duration_ms": rng.integers(60_000, 600_000, n),
            "explicit": rng.random(n) < 0.1,
            "danceability": rng.random(n).round(4),
            "energy": rng.random(n).round(4),
            "key": rng.integers(0, 12, n),
            "loudness": (rng.random(n) * -30).round(3),
            "mode": rng.integers(0, 2, n),
            "speechiness": rng.random(n).round(4),
            "acousticness": rng.random(n).round(5),
            "instrumentalness": rng.random(n).round(6),
            "liveness": rng.random(n).round(4),
            "valence": rng.random(n).round(4),
            "tempo": (60 + rng.random(n) * 140).round(3),
            "time_signature": rng.integers(3, 6, n),
            "track_genre": GENRES[rng.integers(0, GENRES.size, n)],
        }
    )


def _ids(source: np.ndarray) -> np.ndarray:
    """A 22-character base-62 id for each number, the same for the same number."""
    digits = []
    for multiplier in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F):
        value = (source.astype(np.uint64) + np.uint64(1)) * np.uint64(multiplier)  # wraps: a hash
        for _ in range(11):
            digits.append(value % np.uint64(62))
            value //= np.uint64(62)
    return BASE62[np.stack(digits, axis=1)].view("S22").ravel().astype(str)


# The child reports its own high-water mark (VmHWM, counted from its exec) and the time of the load
# alone (migrations ran before; interpreter start and imports are not timed).
_MEASURED = """
import sys, time
from wrapped_lake.cli import main
started = time.perf_counter()
code = main(sys.argv[1:])
elapsed = time.perf_counter() - started
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(elapsed, int(hwm.split()[1]) / 1024, file=sys.stderr)
sys.exit(code)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="wrapped-lake-bench-"))
    base.chmod(0o755)
    embedded = Settings(root=base / "server", database_url=None, timezone="UTC")
    server = os.environ.get("LAKE_DATABASE_URL") or database_url(embedded)
    try:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS bench_catalog WITH (FORCE)")
            admin.execute("CREATE DATABASE bench_catalog")
        settings = Settings(
            root=base / "lake",
            database_url=psycopg.conninfo.make_conninfo(server, dbname="bench_catalog"),
            timezone="UTC",
        )
        with connect(settings):
            pass  # migrations are set-up, not the load
        csv_path = base / "tracks.csv"
        print(f"generating {args.rows:,} catalog rows ...", file=sys.stderr)
        write_catalog(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 2**20
        env = {**os.environ, "LAKE_ROOT": str(settings.root), "LAKE_DATABASE_URL": settings.database_url}
        done = subprocess.run(
            [sys.executable, "-c", _MEASURED, "catalog", "load", str(csv_path)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, peak_mb = map(float, done.stderr.strip().splitlines()[-1].split())
        result = json.loads(done.stdout)
        rate = args.rows / seconds
        print(
            f"catalog load, {args.rows:,} rows ({size_mb:,.0f} MB) | {seconds:.1f} s | {rate:,.0f} rows/s"
            f" | {result['tracks']:,} tracks, {result.get('rejected', 0):,} rows rejected"
        )
        print(f"peak RSS of the loading process | {peak_mb:,.0f} MB | | target < 1 GB")
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS bench_catalog WITH (FORCE)")
        stop_embedded(embedded)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
