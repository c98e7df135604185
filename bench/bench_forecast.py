"""Forecast backtest on a moving simulated population: `make bench` (or `python bench/bench_forecast.py
[--users N --weeks N]`).

Simulates `--users` users over `--weeks` weeks from a Monday with simulate --moving (users join and
leave, ~1% growth a week, holiday and summer dips), ingests them and builds the marts in a fresh
lake, then holds out the last 4 weeks of every series of marts.forecast_series, forecasts them from
the weeks before with the ETS model and the seasonal-naive baseline (wrapped_lake.marts.forecast),
and prints per series the MAPE of each, the improvement of ETS over the baseline and the share of
held-out values inside ETS's 80% interval (targets: MAPE at least 15% below the baseline's,
coverage 70-90%). Then times a full refresh of marts.forecasts on the same lake.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from bench_ingest import drop_database, fresh_lake

from wrapped_lake.ingest import ingest
from wrapped_lake.marts.build import build
from wrapped_lake.marts.forecast import BASELINE, MIN_POINTS, PERIODS, forecast_series, read_series, refresh
from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.db import connect, database_url, stop_embedded
from wrapped_lake.simulate.plan import plan_shards, run_shard

# A Monday, so the weeks are whole; 26 weeks from it end on 24 May, so the 4 held-out weeks see
# neither the holiday dip nor the summer one (the history holds the holiday dip).
START = dt.date(2025, 11, 24)
SEED = 42


def backtest(series: dict) -> list[dict]:
    """Per series: hold out the last horizon, forecast it from the rest, score both models."""
    results = []
    for (name, period), history in series.items():
        horizon = PERIODS[period][2]
        if len(history) < horizon + MIN_POINTS:
            continue
        train, actual = history.iloc[:-horizon], history.iloc[-horizon:].to_numpy()
        scores = {}
        for f in forecast_series(name, period, train):
            key = "baseline" if f.model == BASELINE else "model"
            scores[key] = {
                "name": f.model,
                "mape": float(np.mean(np.abs(f.point - actual) / actual)),
                "coverage": float(np.mean((f.lower <= actual) & (actual <= f.upper))),
            }
        results.append({"series": name, "points": len(train), "mean": float(actual.mean())} | scores)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--start", type=dt.date.fromisoformat, default=START, help="a Monday (default %(default)s)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="wrapped-lake-bench-"))
    base.chmod(0o755)  # the embedded server runs as an unprivileged user
    server_settings = Settings(root=base / "server", database_url=None, timezone="UTC")
    try:
        server = os.environ.get("LAKE_DATABASE_URL") or database_url(server_settings)
        lake = fresh_lake(base, "forecast", server)
        feed = base / "feed"
        began = time.perf_counter()
        shards = plan_shards({"users": args.users, "days": args.weeks * 7, "start_date": args.start.isoformat(),
                              "seed": SEED, "shards": 2, "moving": True})  # fmt: skip
        with ProcessPoolExecutor(max_workers=len(shards)) as pool:
            list(pool.map(run_shard, shards, [feed] * len(shards)))
        simulated = time.perf_counter() - began
        with connect(lake):
            pass  # migrations are set-up
        began = time.perf_counter()
        ingest(lake, [str(feed)], listener="simulated")
        with connect(lake) as conn:
            build(conn, lake, full=True, check=False)
            conn.execute("ANALYZE")
            loaded = time.perf_counter() - began
            plays = conn.execute("SELECT count(*) FROM curated.play_rows").fetchone()[0]
            print(f"{args.users:,} users (simulate --moving) x {args.weeks} weeks from {args.start}, {plays:,} plays; "
                  f"simulated in {simulated:.0f} s, ingested and built in {loaded:.0f} s", flush=True)  # fmt: skip
            print_backtest(backtest(read_series(conn)))
            timings = {}
            for view in ("marts.weekly_continent_activity", "marts.daily_sessions"):
                began = time.perf_counter()
                conn.execute(f"SELECT count(*) FROM {view}")  # a bench's own constant names
                timings[view] = time.perf_counter() - began
            began = time.perf_counter()
            written = refresh(conn)
            refreshed = time.perf_counter() - began
        drop_database(server, lake)
    finally:
        stop_embedded(server_settings)
        shutil.rmtree(base, ignore_errors=True)

    weekly, daily = timings["marts.weekly_continent_activity"], timings["marts.daily_sessions"]
    print(
        f"refresh of marts.forecasts ({written['series']} series, {written['rows']} rows): {refreshed:.1f} s at "
        f"{plays:,} plays; reading marts.weekly_continent_activity {weekly:.1f} s, marts.daily_sessions {daily:.1f} s"
    )


def print_backtest(results: list[dict]) -> None:
    print("last 4 weeks (28 days) held out; MAPE of ETS and of the seasonal-naive baseline, ETS's 80% coverage")
    print(f"{'series':<26} {'train':>5} {'mean':>10} {'ETS model':<12} {'MAPE':>6} {'naive':>6} {'better':>7} "
          f"{'cover':>6} {'naive cover':>11}")  # fmt: skip
    for r in results:
        m, b = r["model"], r["baseline"]
        better = 1 - m["mape"] / b["mape"] if b["mape"] else float("nan")
        print(f"{r['series']:<26} {r['points']:>5} {r['mean']:>10.0f} {m['name']:<12} {m['mape']:>6.1%} "
              f"{b['mape']:>6.1%} {better:>7.0%} {m['coverage']:>6.0%} {b['coverage']:>11.0%}")  # fmt: skip
    model_mape = np.mean([r["model"]["mape"] for r in results])
    naive_mape = np.mean([r["baseline"]["mape"] for r in results])
    coverage = np.mean([r["model"]["coverage"] for r in results])
    print(f"{'all series (mean)':<26} {'':>5} {'':>10} {'':<12} {model_mape:>6.1%} {naive_mape:>6.1%} "
          f"{1 - model_mape / naive_mape:>7.0%} {coverage:>6.0%}")  # fmt: skip
    print(
        "targets: MAPE at least 15% below the baseline's; 80% intervals covering 70-90% of held-out values", flush=True
    )


if __name__ == "__main__":
    main()
