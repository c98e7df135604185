"""Forecast backtest on a moving simulated population: `make bench` (or `python bench/bench_forecast.py
[--users N --weeks N]`).

Simulates `--users` users over `--weeks` weeks (default 32) from Monday 24 November 2025 with
simulate --moving (users join and leave, ~1% growth a week, holiday and summer dips), ingests them
and builds the marts in a fresh lake once, then backtests on every 26-week window of the series of
marts.forecast_series that starts on one of its Mondays: the last 4 weeks (28 days) of the window
held out, both models fitted on the 22 weeks before (wrapped_lake.marts.forecast: the Theta method,
weekly minutes as users times minutes per user, and the seasonal-naive baseline). It prints, for two
named windows, per series the MAPE of each model, the improvement of the model over the baseline and
the share of held-out values inside the model's 80% interval, and the means over all series, over
those of continents under 50 users and over the others; then one line per window start with the
means over all series; then the timings (simulation, ingest and build, a full refresh of
marts.forecasts).

Windows: 24 November to 24 May has the holiday dip in its history and no dip in its held-out weeks;
5 January to 5 July has the summer dip starting inside its held-out weeks (no model can learn a
yearly dip from 22 weeks). Targets: MAPE at least 15% below the baseline's, coverage 70-90%.
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
import pandas as pd
from bench_ingest import drop_database, fresh_lake

from wrapped_lake.ingest import ingest
from wrapped_lake.marts.build import build
from wrapped_lake.marts.forecast import BASELINE, MIN_POINTS, PERIODS, forecast_all, read_series, refresh
from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.db import connect, database_url, stop_embedded
from wrapped_lake.simulate.plan import plan_shards, run_shard

# A Monday, so the weeks are whole. 32 weeks from it end on 5 July 2026.
START = dt.date(2025, 11, 24)
WEEKS = 32
WINDOW_WEEKS = 26
NAMED = {0: "24 November 2025 to 24 May 2026", 6: "5 January to 5 July 2026"}  # window start, in weeks from START
SEED = 42
SMALL_CONTINENT = 50  # active users: under it a continent's series are printed apart


def window(series: dict, first: dt.date, weeks: int) -> dict:
    """Every series cut to the weeks days from first (a Monday)."""
    begin, end = pd.Timestamp(first), pd.Timestamp(first + dt.timedelta(weeks=weeks))
    return {key: history[(history.index >= begin) & (history.index < end)] for key, history in series.items()}


def backtest(series: dict) -> list[dict]:
    """Per series: hold out the last horizon, forecast it from the rest, score both models."""
    held = {key: history for key, history in series.items() if len(history) >= PERIODS[key[1]][2] + MIN_POINTS}
    train = {key: history.iloc[: -PERIODS[key[1]][2]] for key, history in held.items()}
    actual = {key[0]: history.iloc[-PERIODS[key[1]][2] :].to_numpy() for key, history in held.items()}
    scores: dict[str, dict] = {}
    for f in forecast_all(train):
        truth = actual[f.series]
        scores.setdefault(f.series, {})["baseline" if f.model == BASELINE else "model"] = {
            "name": f.model,
            "mape": float(np.mean(np.abs(f.point - truth) / truth)),
            "coverage": float(np.mean((f.lower <= truth) & (truth <= f.upper))),
        }
    points = {key[0]: len(history) for key, history in train.items()}
    return [
        {"series": name, "points": points[name], "mean": float(actual[name].mean())} | scores[name]
        for name in sorted(scores)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--weeks", type=int, default=WEEKS, help=f"at least {WINDOW_WEEKS} (default %(default)s)")
    parser.add_argument("--start", type=dt.date.fromisoformat, default=START, help="a Monday (default %(default)s)")
    args = parser.parse_args()
    started = time.perf_counter()
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
            series = read_series(conn)
            began = time.perf_counter()
            written = refresh(conn)
            refreshed = time.perf_counter() - began
        drop_database(server, lake)
    finally:
        stop_embedded(server_settings)
        shutil.rmtree(base, ignore_errors=True)

    starts = [args.start + dt.timedelta(weeks=w) for w in range(args.weeks - WINDOW_WEEKS + 1)]
    scored = {first: backtest(window(series, first, WINDOW_WEEKS)) for first in starts}
    for offset, label in NAMED.items():
        if offset < len(starts):
            print(f"\n{label} ({WINDOW_WEEKS} weeks):")
            print_backtest(scored[starts[offset]])
    print(f"\nevery {WINDOW_WEEKS}-week window: means over its series")
    print(f"{'window':<24} {'model':>6} {'naive':>6} {'better':>7} {'cover':>6}")
    gains, coverages = [], []
    for first, results in scored.items():
        model, naive, coverage = means(results)
        gains.append(1 - model / naive)
        coverages.append(coverage)
        last = first + dt.timedelta(weeks=WINDOW_WEEKS, days=-1)
        print(f"{first} to {last} {model:>6.1%} {naive:>6.1%} {gains[-1]:>7.0%} {coverage:>6.0%}")
    print(f"{'the windows, mean':<24} {'':>6} {'':>6} {np.mean(gains):>7.1%} {np.mean(coverages):>6.0%}"
          f"  (target: 15% better, coverage 70-90%)")  # fmt: skip
    print(
        f"\nrefresh of marts.forecasts ({written['series']} series, {written['rows']} rows): {refreshed:.1f} s at "
        f"{plays:,} plays; bench wall time {time.perf_counter() - started:.0f} s"
    )


def means(results: list[dict]) -> tuple[float, float, float]:
    """The model's and the baseline's MAPE and the model's coverage, averaged over the series."""
    return (
        float(np.mean([r["model"]["mape"] for r in results])),
        float(np.mean([r["baseline"]["mape"] for r in results])),
        float(np.mean([r["model"]["coverage"] for r in results])),
    )


def print_backtest(results: list[dict]) -> None:
    print(
        "last 4 weeks (28 days) held out; MAPE of the model and of the seasonal-naive baseline; the model's 80%"
        " coverage"
    )
    print(f"{'series':<26} {'train':>5} {'mean':>10} {'model':<20} {'MAPE':>6} {'naive':>6} {'better':>7} "
          f"{'cover':>6} {'naive cover':>11}")  # fmt: skip
    for r in results:
        m, b = r["model"], r["baseline"]
        better = 1 - m["mape"] / b["mape"] if b["mape"] else float("nan")
        print(f"{r['series']:<26} {r['points']:>5} {r['mean']:>10.0f} {m['name']:<20} {m['mape']:>6.1%} "
              f"{b['mape']:>6.1%} {better:>7.0%} {m['coverage']:>6.0%} {b['coverage']:>11.0%}")  # fmt: skip
    # A continent of a few users moves by whole users, which no model foresees: its series apart.
    users = {r["series"].split(":")[1]: r["mean"] for r in results if r["series"].startswith("weekly_active_users:")}
    small = [r for r in results if ":" in r["series"] and users.get(r["series"].split(":")[1], 0) < SMALL_CONTINENT]
    groups = {"all series": results, f"under {SMALL_CONTINENT} users": small,
              "the others": [r for r in results if r not in small]}  # fmt: skip
    for label, part in groups.items():
        if part:
            model_mape, naive_mape, coverage = means(part)
            print(f"{f'{label} ({len(part)}, mean)':<26} {'':>5} {'':>10} {'':<20} {model_mape:>6.1%} "
                  f"{naive_mape:>6.1%} {1 - model_mape / naive_mape:>7.0%} {coverage:>6.0%}")  # fmt: skip
    print(
        "targets: MAPE at least 15% below the baseline's; 80% intervals covering 70-90% of held-out values", flush=True
    )


if __name__ == "__main__":
    main()
