"""Simulator speed (Faker baseline, simulate() end to end, fastavro ceiling, full scale), then realism.

Run: PYTHONPATH=include .venv/bin/python bench/bench_simulate.py [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import fastavro
from faker import Faker

from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.db import stop_embedded
from wrapped_lake.simulate import run, simulate
from wrapped_lake.simulate.avro_blocks import DEFLATE_LEVEL
from wrapped_lake.simulate.catalog import default_catalog
from wrapped_lake.simulate.realism import report
from wrapped_lake.simulate.records import schema_json

START = dt.date(2024, 3, 4)

_FULL_SCALE = """
import datetime as dt, json, sys, time
from pathlib import Path
import fastavro
from wrapped_lake.simulate import simulate
users, days, out = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
began = time.perf_counter()
paths = simulate(users, days, dt.date(2024, 3, 4), 1, out)
seconds = time.perf_counter() - began
events = sum(b.num_records for p in paths for b in fastavro.block_reader(p.open("rb")))
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"events": events, "seconds": seconds, "peak_rss_mb": int(hwm.split()[1]) / 1024}))
"""


def _codec() -> dict:
    """fastavro options for the codec simulate() uses, so every figure compares like with like."""
    return {"codec": run.CODEC, "codec_compression_level": DEFLATE_LEVEL}


def _count(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with path.open("rb") as f:
            total += sum(block.num_records for block in fastavro.block_reader(f))
    return total


def baseline(events: int, out: Path) -> float:
    """The earlier projects' way: Faker per event, one dict per record, fastavro.writer."""
    fake = Faker()
    Faker.seed(1)
    rng = random.Random(1)
    schema = fastavro.parse_schema(json.loads(schema_json()))
    now = 1_709_510_400_000

    def records():
        for i in range(events):
            start = now + i * 1000
            yield {
                "userId": fake.uuid4(),
                "eventTime": start + 200_000,
                "activityType": rng.choice(["PLAY", "SKIP"]),
                "song": fake.catch_phrase(),
                "songId": fake.uuid4(),
                "genre": rng.choice(["pop", "rock"]),
                "artist": fake.name(),
                "artistId": fake.uuid4(),
                "playlistId": None,
                "duration": 200_000,
                "userLocation": fake.country(),
                "startTime": start,
                "endTime": start + 200_000,
                "deviceType": "MOBILE",
                "valence": rng.random(),
                "tempo": 120.0,
                "acousticness": rng.random(),
                "energy": rng.random(),
                "danceability": rng.random(),
                "album": fake.catch_phrase(),
                "releaseYear": 2020,
                "popularity": rng.randint(0, 100),
                "subscriptionType": "FREE",
                "country": fake.country_code(),
                "continent": "EU",
                "personality": "ENVU",
                "eventId": fake.uuid4(),
                "sessionId": fake.uuid4(),
                "playedMs": 200_000,
            }

    began = time.perf_counter()
    with (out / "baseline.avro").open("wb") as f:
        fastavro.writer(f, schema, records(), **_codec())
    return events / (time.perf_counter() - began)


def ours(users: int, days: int, out: Path) -> tuple[float, list[Path]]:
    default_catalog()  # built once per process; not part of the per-event figure
    began = time.perf_counter()
    paths = simulate(users, days, START, 1, out)
    return _count(paths) / (time.perf_counter() - began), paths


def ours_with(codec: str, users: int, days: int, out: Path) -> float:
    """simulate() with the other codec, to show what the choice costs."""
    chosen = run.CODEC
    run.CODEC = codec
    try:
        return ours(users, days, out)[0]
    finally:
        run.CODEC = chosen


def ceiling(paths: list[Path], limit: int, out: Path) -> float:
    """fastavro.writer alone, on records already built (our own output, read back)."""
    records = []
    for path in paths:
        with path.open("rb") as f:
            records.extend(itertools.islice(fastavro.reader(f), limit - len(records)))
        if len(records) >= limit:
            break
    schema = fastavro.parse_schema(json.loads(schema_json()))
    began = time.perf_counter()
    with (out / "ceiling.avro").open("wb") as f:
        fastavro.writer(f, schema, records, **_codec())
    return len(records) / (time.perf_counter() - began)


def full_scale(users: int, days: int, out: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _FULL_SCALE, str(users), str(days), str(out)], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout)


def ingest_feed(feed: Path, base: Path) -> dict:
    """`wrapped-lake ingest` of a simulated feed into a fresh lake and database, in a child process."""
    from bench_ingest import fresh_lake, measured_ingest

    from wrapped_lake.platform.db import connect, database_url

    server = os.environ.get("LAKE_DATABASE_URL") or database_url(
        Settings(root=base / "server", database_url=None, timezone="UTC")
    )
    lake = fresh_lake(base, "feed_lake", server)
    with connect(lake) as conn:
        pass  # migrations are set-up, not ingest
    env = {**os.environ, "LAKE_ROOT": str(lake.root), "LAKE_DATABASE_URL": lake.database_url}
    seconds, peak = measured_ingest(env, ["ingest", str(feed), "--listener", "simulated"])
    with connect(lake) as conn:
        plays = conn.execute("SELECT count(*) FROM curated.plays WHERE source = 'feed'").fetchone()[0]
        others = conn.execute("SELECT count(*) FROM curated.feed_interactions").fetchone()[0]
    return {"seconds": seconds, "events": plays + others, "plays": plays, "peak_rss_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs (about a quarter of the time)")
    args = parser.parse_args()
    baseline_events, (users, days), ceiling_records, scale = (
        (5_000, (1_000, 3), 20_000, (5_000, 3)) if args.quick else (20_000, (5_000, 3), 100_000, (20_000, 3))
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        a = baseline(baseline_events, out)
        b, paths = ours(users, days, out / "ours")
        c = ceiling(paths, ceiling_records, out)
        other = "deflate" if run.CODEC == "null" else "null"
        b_other = ours_with(other, users, days, out / "other")
        base = Path(tempfile.mkdtemp(prefix="wrapped-lake-bench-"))
        base.chmod(0o755)  # the embedded server runs as an unprivileged user
        try:
            d = full_scale(*scale, base / "feed")
            e = ingest_feed(base / "feed", base)
        finally:
            stop_embedded(Settings(root=base / "server", database_url=None, timezone="UTC"))
            shutil.rmtree(base, ignore_errors=True)

    rows = [
        ("(a) baseline: Faker per event + dicts + fastavro", f"{a:,.0f} ev/s", f"{baseline_events:,} events"),
        ("(b) simulate() to closed AVRO files", f"{b:,.0f} ev/s", f"{b / a:.1f}x (a) (target >= 20x)"),
        (f"(b') the same with the {other} codec", f"{b_other:,.0f} ev/s", f"{b_other / a:.1f}x (a), for comparison"),
        ("(c) fastavro.writer ceiling, prebuilt records", f"{c:,.0f} ev/s", f"(b)/(c) = {b / c:.2f} (target >= 0.7)"),
        (
            f"(d) {scale[0]:,} users x {scale[1] * 24} h",
            f"{d['seconds']:.1f} s",
            f"{d['events']:,} events, peak RSS {d['peak_rss_mb']:.0f} MB (target < 60 s)",
        ),
        (
            "(e) ingest of (d) into Postgres, end to end",
            f"{e['seconds']:.1f} s",
            f"{e['events']:,} events ({e['plays']:,} plays), peak RSS {e['peak_rss_mb']:.0f} MB (target < 120 s)",
        ),
    ]
    print(f"codec {run.CODEC} for (a), (b), (c) and (d); (b) on {users:,} users x {days} days")
    width = max(len(r[0]) for r in rows)
    for label, figure, note in rows:
        print(f"{label:<{width}}  {figure:>14}  {note}")
    # Realism: simulated listeners beside real ones (60 days of history, then the 60 measured).
    print()
    print(report(200, 120, START, 7))


if __name__ == "__main__":
    main()
