"""Listener insights speed: `make bench` (or `python bench/bench_insights.py [--users N --plays N]`).

Figures, all measured in this run on this machine, over the plays bench_wrapped.py generates
(10,000,000 feed plays of 20,000 users by default, its generator imported):
- the full build's insight fills (marts.listener_days and listener_day_artists: creating the
  shares' tables, filling them, indexing them; per step, the slowest share's seconds, the shares
  running side by side), target < 30 s; and the whole build's time beside it;
- the same fills in an incremental build after one new day of plays, target < 2 s, and the data
  check beside them (daily_sums_match_facts);
- `wrapped --format json` with its insights for one listener-year, target < 300 ms, median of 20
  (and the insights alone).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_wrapped import START, add_day, bench_lake, generate_plays, size_arguments

from wrapped_lake.marts.build import build
from wrapped_lake.platform.db import connect
from wrapped_lake.reports.insights import insights_of
from wrapped_lake.reports.wrapped import MIN_CATALOG_COVERAGE, to_json, wrapped

# The build's steps that make the insight tables (the names BuildResult.seconds gives them).
FULL_STEPS = ("create_insight_parts", "listener_days", "listener_day_artists", "insight_indexes")
INCREMENTAL_STEPS = ("listener_days", "listener_day_artists")


def main() -> None:
    args, per_day = size_arguments()
    results = []
    with bench_lake("bench_insights") as (settings, _):
        with connect(settings) as conn:
            plays = generate_plays(conn, args.users, per_day, args.days)
            started = time.perf_counter()
            full = build(conn, settings, full=True)
            full_s = time.perf_counter() - started
            conn.execute("VACUUM ANALYZE marts.hourly_plays, marts.listener_months, marts.listener_days,"
                         " marts.listener_day_artists")  # fmt: skip
            rows = conn.execute(
                "SELECT (SELECT count(*) FROM marts.listener_days), (SELECT count(*) FROM marts.listener_day_artists)"
            ).fetchone()
        insight_s = sum(full.seconds.get(step, 0.0) for step in FULL_STEPS)
        steps = ", ".join(f"{step} {full.seconds.get(step, 0.0):.2f}" for step in FULL_STEPS)
        results.append(
            (f"full build's insight fills, {plays:,} plays of {args.users:,} users", f"{insight_s:.1f} s", "",
             f"target < 30 s; {steps} (slowest share each); {rows[0]:,} days, {rows[1]:,} day-artists;"
             f" whole build {full_s:.1f} s, check daily_sums_match_facts"
             f" {full.seconds.get('daily_sums_match_facts', 0):.2f} s")
        )  # fmt: skip

        with connect(settings) as conn:
            add_day(conn, START + timedelta(days=args.days), args.users, per_day)
            started = time.perf_counter()
            incremental = build(conn, settings)
            inc_s = time.perf_counter() - started
        fills_s = sum(incremental.seconds.get(step, 0.0) for step in INCREMENTAL_STEPS)
        steps = ", ".join(f"{step} {incremental.seconds.get(step, 0.0):.2f}" for step in INCREMENTAL_STEPS)
        results.append(
            (f"incremental build's insight fills, new day ({args.users * per_day:,} plays)", f"{fills_s:.2f} s", "",
             f"target < 2 s; {steps}; check daily_sums_match_facts"
             f" {incremental.seconds.get('daily_sums_match_facts', 0):.2f} s; whole build {inc_s:.2f} s")
        )  # fmt: skip

        with connect(settings) as conn:
            listener = conn.execute("SELECT min(listener) FROM marts.listeners").fetchone()[0]
            times, alone = [], []
            for _ in range(20):
                started = time.perf_counter()
                report = to_json(wrapped(conn, listener, START.year))
                times.append(time.perf_counter() - started)
                started = time.perf_counter()
                insights_of(conn, listener, START.year, MIN_CATALOG_COVERAGE)
                alone.append(time.perf_counter() - started)
        results.append(
            ("wrapped --format json with insights, one listener-year", f"{statistics.median(times) * 1000:.0f} ms", "",
             f"target < 300 ms; median of 20, max {max(times) * 1000:.0f} ms; the insights alone"
             f" {statistics.median(alone) * 1000:.0f} ms; {len(report):,} bytes")
        )  # fmt: skip
    for row in results:
        print(" | ".join(row))


if __name__ == "__main__":
    main()
