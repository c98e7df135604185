"""simulate(): one shard of the simulated listening feed, written as partitioned AVRO files."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wrapped_lake.simulate.avro_blocks import BlockPipeline, ContainerWriter
from wrapped_lake.simulate.catalog import Catalog, default_catalog
from wrapped_lake.simulate.events import Events, build_events
from wrapped_lake.simulate.markets import COUNTRIES
from wrapped_lake.simulate.movement import Movement
from wrapped_lake.simulate.population import Population, draw_population, personality_weights
from wrapped_lake.simulate.records import build_tables, encode_events, schema_json
from wrapped_lake.simulate.rng import CounterRNG
from wrapped_lake.simulate.taste import WARMUP_PLAYS, pick_tracks, taste_tables
from wrapped_lake.simulate.timeline import MS_PER_DAY, Sessions, draw_sessions

BLOCK_RECORDS = 16_384
COMPRESSION_THREADS = 2
# Measured on 2 cores: "null" ~280k events/s at 264 B/event; "deflate" (level 1, on both cores)
# ~100-170k events/s at 115 B/event. Generation speed matters more here than file size.
CODEC = "null"
PICK_BATCH_BYTES = 48 * 2**20  # memory for the per-user pick history and "seen artists" map of one pick batch
_EPOCH = dt.date(1970, 1, 1)
_CONTINENTS = tuple(sorted({c.continent for c in COUNTRIES}))
_CONTINENT_OF_COUNTRY = np.array([_CONTINENTS.index(c.continent) for c in COUNTRIES], dtype=np.int64)


def sync_marker(seed: int) -> bytes:
    """The 16-byte Avro sync marker of every file written under this seed."""
    return hashlib.blake2b(f"wrapped-lake/simulate/{seed}".encode(), digest_size=16).digest()


def _pick_all(
    rng: CounterRNG, population: Population, plays: np.ndarray, catalog: Catalog, year: int, shift_at: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Tracks for every play, picking for a batch of users at a time to bound memory."""
    tables = taste_tables(catalog, year)
    per_user = catalog.artist_name.size + len(catalog) // 8 + 9 * (WARMUP_PLAYS + int(plays.max(initial=0)))
    batch = max(64, PICK_BATCH_BYTES // max(per_user, 1))
    tracks, kinds = [], []
    for first in range(0, len(population), batch):
        part = slice(first, first + batch)
        t, k = pick_tracks(rng, population.take(part), plays[part], catalog, tables, shift_at[part])
        tracks.append(t)
        kinds.append(k)
    if not tracks:
        return np.zeros(0, np.int32), np.zeros(0, np.int8)
    return np.concatenate(tracks), np.concatenate(kinds)


def _write(
    out_dir: Path,
    events: Events,
    population: Population,
    encode_rows: Callable[[np.ndarray], bytes],
    seed: int,
    shard_index: int,
    shard_count: int,
) -> list[Path]:
    """One file per (UTC date, continent), each ordered by event time."""
    day = events.time // MS_PER_DAY
    continent = _CONTINENT_OF_COUNTRY[population.country[events.user]]
    order = np.lexsort((events.number, population.index[events.user], events.time, continent, day))
    key = day[order] * len(_CONTINENTS) + continent[order]
    cuts = np.flatnonzero(np.r_[True, key[1:] != key[:-1], True]) if order.size else np.zeros(1, np.int64)
    schema = schema_json()
    sync = sync_marker(seed)
    name = f"part-{shard_index:05d}-of-{shard_count:05d}.avro"
    paths, partial = [], []
    with BlockPipeline(CODEC, COMPRESSION_THREADS) as pipeline:
        for lo, hi in itertools.pairwise(cuts):
            rows = order[lo:hi]
            date = _EPOCH + dt.timedelta(days=int(day[rows[0]]))
            folder = out_dir / "simulated" / f"date={date.isoformat()}" / f"continent={_CONTINENTS[continent[rows[0]]]}"
            folder.mkdir(parents=True, exist_ok=True)
            paths.append(folder / name)
            # Written under a hidden name an inbox scan skips, renamed once complete: an ingest
            # running meanwhile never sees part of a file (a file cut at a block boundary is valid).
            partial.append(folder / f".{name}.writing")
            writer = ContainerWriter(partial[-1], schema, sync, CODEC)
            for block in range(0, rows.size, BLOCK_RECORDS):
                chunk = rows[block : block + BLOCK_RECORDS]
                pipeline.submit(writer, encode_rows(chunk), chunk.size, last=block + BLOCK_RECORDS >= rows.size)
    for written, path in zip(partial, paths, strict=True):
        written.replace(path)
    return paths


@dataclass(frozen=True)
class Feed:
    """One shard's simulation in memory, before encoding: what simulate() writes."""

    catalog: Catalog
    population: Population
    sessions: Sessions
    events: Events


def generate(
    users: int,
    days: int,
    start: dt.date,
    seed: int,
    *,
    catalog: Catalog | None = None,
    personality: str | None = None,
    personality_mix: Mapping[str, float] | None = None,
    shard_index: int = 0,
    shard_count: int = 1,
    bots: float = 0.0,
    moving: bool = False,
    taste_shifts: float = 0.0,
) -> Feed:
    """The events simulate() would write, without writing them (arguments as simulate's)."""
    if users < 0 or days < 1:
        raise ValueError("users must be >= 0 and days >= 1")
    if not 0 <= shard_index < shard_count:
        raise ValueError(f"shard_index must be in 0..{shard_count - 1}, got {shard_index}")
    catalog = catalog if catalog is not None else default_catalog()
    rng = CounterRNG(seed)
    weights = personality_weights(personality, personality_mix)
    first_day = (start - _EPOCH).days
    movement = Movement(first_day, days) if moving else None
    indices = np.arange(shard_index, users, shard_count, dtype=np.int64)
    population = draw_population(rng, indices, catalog, weights, movement)
    sessions = draw_sessions(rng, population, first_day, days, seasons=moving)
    plays = np.bincount(sessions.user, weights=sessions.plays, minlength=len(population)).astype(np.int64)
    shift_at = np.full((len(population), 1), -1, dtype=np.int64)
    if taste_shifts:
        from wrapped_lake.simulate.shifts import plan_shifts, shift_positions

        plan = plan_shifts(users, days, taste_shifts, seed)[population.index]
        shift_at = shift_positions(plan, population, sessions, first_day)
    tracks, kinds = _pick_all(rng, population, plays, catalog, start.year, shift_at)
    events = build_events(rng, population, sessions, tracks, kinds, catalog, (first_day + days) * MS_PER_DAY)
    if bots:
        from wrapped_lake.simulate.bots import add_bots, plan_bots

        mine = [b for b in plan_bots(users, bots) if b.index % shard_count == shard_index]
        population, sessions, events = add_bots(
            population, sessions, events, mine, seed, catalog, weights, first_day, days
        )
    return Feed(catalog, population, sessions, events)


def simulate(
    users: int,
    days: int,
    start: dt.date,
    seed: int,
    out_dir: Path,
    *,
    catalog: Catalog | None = None,
    personality: str | None = None,
    personality_mix: Mapping[str, float] | None = None,
    shard_index: int = 0,
    shard_count: int = 1,
    bots: float = 0.0,
    moving: bool = False,
    taste_shifts: float = 0.0,
) -> list[Path]:
    """Simulate users 0..users-1 (those with index % shard_count == shard_index) over `days` UTC days.

    Writes out_dir/simulated/date=YYYY-MM-DD/continent=XX/part-<shard>-of-<count>.avro and returns
    the paths. Same arguments give byte-identical files; a user's events do not depend on the
    sharding. `personality` forces one code on every user, `personality_mix` weights the codes,
    and by default codes are drawn uniformly. New releases are judged against start.year. `bots`
    adds that share of `users` as fraudulent accounts, and as many super-fans and sleepers
    (simulate/bots.py; bots.truth() says which is which). `moving` makes users join and leave
    over the span, with growth and holiday and summer dips (simulate/movement.py). `taste_shifts`
    gives that share of the users one or two dates on which their taste changes (simulate/shifts.py;
    shifts.truth() says who and when).
    """
    feed = generate(
        users,
        days,
        start,
        seed,
        catalog=catalog,
        personality=personality,
        personality_mix=personality_mix,
        shard_index=shard_index,
        shard_count=shard_count,
        bots=bots,
        moving=moving,
        taste_shifts=taste_shifts,
    )
    tables = build_tables(feed.catalog, feed.population, feed.sessions)
    return _write(
        Path(out_dir),
        feed.events,
        feed.population,
        lambda rows: encode_events(tables, feed.events, rows),
        seed,
        shard_index,
        shard_count,
    )
