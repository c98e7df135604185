"""Phases against planted taste shifts: `make bench` (or `python bench/bench_phases.py [--users N --days N]`).

Simulates a year of listeners, SHARE of them with one or two taste shifts (simulate --taste-shifts),
in two shards on two processes, and runs the phase finder (reports/insights.py) on each listener's
weekly artist streams, taken straight from the simulator's plays (reports/phase_score.py) from the
end of the simulator's burn-in (shifts.BURN_IN_DAYS) to the span's last day. At three activity
levels: every stream, and a random quarter and sixteenth of them (lighter listeners of the same
taste). Figures: the share of shifts a phase starts within 2 weeks of (target >= 0.9) and the share
of steady listeners given a change (target < 0.1), with the median streams a week.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from wrapped_lake.reports.phase_score import score, weekly_streams
from wrapped_lake.simulate.run import generate
from wrapped_lake.simulate.shifts import BURN_IN_DAYS, truth

START = dt.date(2024, 1, 1)
SEED = 11
SHARE = 0.5
SHARDS = 2
LEVELS = (1.0, 1 / 4, 1 / 16)  # share of each listener's streams kept
TARGET_FOUND, TARGET_FALSE = 0.9, 0.1


def shard_weeks(users: int, days: int, shard: int) -> dict[float, pd.DataFrame]:
    """One shard's weekly artist streams at every activity level."""
    feed = generate(users, days, START, SEED, taste_shifts=SHARE, shard_index=shard, shard_count=SHARDS)
    return {keep: weekly_streams(feed, keep, seed=shard) for keep in LEVELS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=160)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    began = time.perf_counter()
    with ProcessPoolExecutor(SHARDS) as pool:
        parts = list(pool.map(shard_weeks, [args.users] * SHARDS, [args.days] * SHARDS, range(SHARDS)))
    simulated = time.perf_counter() - began
    planted = truth(args.users, args.days, START, SHARE, SEED)
    date_from, date_to = START + dt.timedelta(days=BURN_IN_DAYS), START + dt.timedelta(days=args.days - 1)
    print(
        f"phases: {args.users} users x {args.days} days from {START} (seed {SEED}), {SHARE:.0%} with taste shifts, "
        f"scored {date_from} to {date_to}; simulated in {simulated:.0f} s on {SHARDS} processes"
    )
    print(f"{'streams kept':>12} {'streams/week':>12} {'shifts found':>18} {'steady given a change':>22} {'extra':>6}")
    for keep in LEVELS:
        began = time.perf_counter()
        result = score(pd.concat([part[keep] for part in parts]), planted, date_from, date_to)
        found = f"{result.found}/{result.shifts} = {result.found_share:.2f}"
        false = f"{result.false_steady}/{result.steady} = {result.false_share:.2f}"
        print(
            f"{keep:>12.4g} {result.streams_per_week:>12.0f} {found:>18} {false:>22} {result.extra:>6}"
            f"   ({time.perf_counter() - began:.1f} s)"
        )
    print(
        f"targets: shifts found within 2 weeks >= {TARGET_FOUND}, steady listeners given a change < {TARGET_FALSE}; "
        "extra: changes given to shifted listeners far from their shifts"
    )


if __name__ == "__main__":
    main()
