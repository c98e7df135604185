"""Taste shifts (--taste-shifts): planted on known dates, deterministic, the truth only in a side file,
realism kept, and found by the phase finder (reports/insights.py) on a simulated population."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from simfeed import read_feed

from wrapped_lake.reports.phase_score import score, weekly_streams
from wrapped_lake.simulate import realism, simulate
from wrapped_lake.simulate.run import generate
from wrapped_lake.simulate.shifts import (
    BURN_IN_DAYS,
    DEFAULT_SHARE,
    EDGE_DAYS,
    FIRST_DAYS,
    GAP_DAYS,
    least_days,
    plan_shifts,
    truth,
)

START = dt.date(2024, 1, 1)  # a Monday
# The population the phase finder is scored on: 30 weeks, the first 5 the simulator's burn-in.
USERS, DAYS, SHARE, SEED = 40, 210, 0.5, 7
# Looser than the bench's targets (found >= 0.9, steady given a change < 0.1): about 25 shifts and
# 20 steady users here, where one listener moves a share by 4 to 5 points.
FOUND_AT_LEAST, FALSE_AT_MOST = 0.8, 0.15
SMALL, SMALL_SEED = 4, 3  # users of the byte-level checks, over least_days() days


def _bytes(paths: list[Path], root: Path) -> list[tuple[Path, bytes]]:
    return [(p.relative_to(root), p.read_bytes()) for p in paths]


@pytest.fixture(scope="module")
def weekly() -> pd.DataFrame:
    """Weekly artist streams per user of USERS simulated users, SHARE of them shifting (~35 s)."""
    return weekly_streams(generate(USERS, DAYS, START, SEED, taste_shifts=SHARE))


def _scored(weekly: pd.DataFrame):
    date_from = START + dt.timedelta(days=BURN_IN_DAYS)
    return score(weekly, truth(USERS, DAYS, START, SHARE, SEED), date_from, START + dt.timedelta(days=DAYS - 1))


def test_shifts_are_planned_for_the_share_of_users_inside_the_span() -> None:
    plan = plan_shifts(1000, 365, 0.25, 1)
    shifted = plan[plan[:, 0] >= 0]
    assert len(shifted) == 250 and 0.4 < (shifted[:, 1] >= 0).mean() < 0.6
    assert shifted[:, 0].min() >= FIRST_DAYS and shifted.max() <= 365 - EDGE_DAYS - 1
    two = shifted[shifted[:, 1] >= 0]
    assert (two[:, 1] - two[:, 0] >= GAP_DAYS).all()
    assert (plan_shifts(1000, 120, 0.25, 1)[:, 1] == -1).all()  # too short for two
    assert (plan_shifts(1000, 365, 0, 1) == -1).all()
    with pytest.raises(ValueError, match=f"at least {least_days()} days"):
        plan_shifts(10, least_days() - 1, 0.5, 1)


def test_no_shifts_give_the_same_bytes_as_before(tmp_path: Path) -> None:
    plain = simulate(20, 1, START, SEED, tmp_path / "a")
    zero = simulate(20, 1, START, SEED, tmp_path / "b", taste_shifts=0)
    assert _bytes(plain, tmp_path / "a") == _bytes(zero, tmp_path / "b")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """SMALL users over the shortest span shifts need, DEFAULT_SHARE of them shifting, in one shard."""
    root = tmp_path_factory.mktemp("shifts")
    return root, simulate(SMALL, least_days(), START, SMALL_SEED, root, taste_shifts=DEFAULT_SHARE)


def test_the_cli_writes_the_same_bytes_and_the_truth_beside_the_feed_never_into_it(tmp_path: Path, small) -> None:
    from wrapped_lake.cli import main

    args = ["simulate", "--users", str(SMALL), "--days", str(least_days()), "--start", START.isoformat()]
    args += ["--seed", str(SMALL_SEED), "--shards", "1", "--out", str(tmp_path), "--taste-shifts"]  # alone: default
    assert main([*args, "--truth", str(tmp_path / "truth.json")]) == 0
    root, paths = small
    assert _bytes(sorted((tmp_path / "simulated").rglob("*.avro")), tmp_path) == _bytes(sorted(paths), root)
    written = json.loads((tmp_path / "truth.json").read_text())
    expected = truth(SMALL, least_days(), START, DEFAULT_SHARE, SMALL_SEED)
    assert len(written) == round(DEFAULT_SHARE * SMALL) == len(expected)
    assert [(r["user_id"], r["kind"], r["shift_dates"]) for r in written] == [
        (u, k, [d.isoformat() for d in dates]) for u, k, dates in expected
    ]
    feed = read_feed(paths)
    assert {r["user_id"] for r in written} <= set(feed["userId"])
    assert not feed.isin(["taste_shift"]).any().any()
    assert {p.suffix for p in (tmp_path / "simulated").rglob("*") if p.is_file()} == {".avro"}


def test_the_truth_as_csv_names_the_dates_beside_added_accounts(tmp_path: Path) -> None:
    from wrapped_lake.simulate.bots import write_truth

    write_truth(tmp_path / "truth.csv", [("a1", "looper"), ("b2", "taste_shift", (START, START.replace(month=5)))])
    with (tmp_path / "truth.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert rows == [
        {"user_id": "a1", "kind": "looper", "shift_dates": ""},
        {"user_id": "b2", "kind": "taste_shift", "shift_dates": "2024-01-01;2024-05-01"},
    ]


def _kept_artists(weekly: pd.DataFrame, user: str, day: dt.date) -> float:
    """Share of a user's streams in the 4 weeks after the week of `day` on artists streamed in the 4 weeks before it."""
    rows = weekly[weekly["user_id"] == user]
    week = pd.to_datetime(rows["week"]).dt.date
    monday = day - dt.timedelta(days=day.weekday())
    before = set(rows.loc[(week >= monday - dt.timedelta(weeks=4)) & (week < monday), "artist"])
    after = rows[(week > monday) & (week <= monday + dt.timedelta(weeks=4))]
    return float(after.loc[after["artist"].isin(before), "streams"].sum() / after["streams"].sum())


def test_a_shifted_listener_turns_to_other_artists_and_a_steady_one_does_not(weekly: pd.DataFrame) -> None:
    planted = truth(USERS, DAYS, START, SHARE, SEED)
    shifted = [_kept_artists(weekly, user, dates[0]) for user, _, dates in planted]
    steady_users = sorted(set(weekly["user_id"]) - {user for user, _, _ in planted})
    days = [dates[0] for _, _, dates in planted]
    steady = [_kept_artists(weekly, user, day) for user, day in zip(steady_users, days, strict=False)]
    assert np.median(shifted) < 0.3 < 0.7 < np.median(steady)


@pytest.mark.slow
def test_the_phase_finder_finds_planted_shifts_within_2_weeks(weekly: pd.DataFrame) -> None:
    result = _scored(weekly)
    assert result.shifts >= 20
    assert result.found_share >= FOUND_AT_LEAST


@pytest.mark.slow
def test_the_phase_finder_seldom_gives_a_steady_listener_a_change(weekly: pd.DataFrame) -> None:
    result = _scored(weekly)
    assert result.steady >= 15
    assert result.false_share <= FALSE_AT_MOST


@pytest.mark.slow
def test_realism_holds_with_the_default_share_of_shifts() -> None:
    """All of them shift inside the measured window: 120 days, the last 60 measured, shifts from day 63."""
    users, days = 120, 2 * realism.WINDOW_DAYS
    plays = realism.plays_frame(generate(users, days, START, SEED, taste_shifts=DEFAULT_SHARE))
    end = int(dt.datetime.combine(START, dt.time(), dt.UTC).timestamp() * 1000) + days * 86_400_000
    figures = realism.listener_figures(plays, end - realism.WINDOW_DAYS * 86_400_000, end)
    outside = [c.name for c in realism.checks(figures) if not c.inside]
    assert len(figures) >= 0.9 * users and outside == []
    for name, (limit, share) in realism.AT_MOST_ABOVE.items():
        assert (figures[name] > limit).mean() <= share, name
