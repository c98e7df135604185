"""Forecasts of the simulated feed: a planted series the model must find, the baseline's exact
values, the refresh replacing its rows, and the CLI's JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from wrapped_lake import cli
from wrapped_lake.marts.forecast import BASELINE, refresh, seasonal_naive

FIRST = date(2030, 1, 7)  # a Monday
DAYS = 70
WEEKLY = [0, 1, 0, 1, 2, 5, 4]  # sessions added Monday to Sunday
NOISE = [0, 1, -1, 0, 1, 0, -1, 1, 0, -1, 0, 0, 1]  # a fixed wobble, so the fit has residuals


def planted_sessions(day: int) -> int:
    """The truth: 8 sessions a day, one more each week, and a weekly rhythm."""
    return 8 + day // 7 + WEEKLY[day % 7]


@pytest.fixture
def planted(plays_file, conn):
    """DAYS days of feed sessions following planted_sessions (plus NOISE), then a day after them
    (the feed's last day, which the series leaves out); the forecasts refreshed."""
    plays = []
    for day in range(DAYS + 1):
        count = planted_sessions(day) + NOISE[day % len(NOISE)] if day < DAYS else 1
        midnight = datetime.combine(FIRST + timedelta(days=day), datetime.min.time(), UTC)
        plays += [{"ended_at": midnight + timedelta(minutes=10 + 40 * n), "ms": 180_000} for n in range(count)]
    plays_file("planted", plays, source="feed", kind="feed")
    refresh(conn)
    rows = conn.execute(
        "SELECT model, horizon_date, point, lower, upper FROM marts.forecasts WHERE series = 'daily_sessions'"
        " ORDER BY model, horizon_date"
    ).fetchall()
    return pd.DataFrame(rows, columns=["model", "date", "point", "lower", "upper"])


def test_ets_finds_a_planted_trend_and_weekly_season_and_its_interval_holds_the_truth(planted):
    ets = planted[planted["model"] != BASELINE]
    truth = np.array([planted_sessions(DAYS + k) for k in range(28)])
    assert ets["model"].iloc[0] == "ETS(A,A,A)" or ets["model"].iloc[0] == "ETS(A,Ad,A)"
    assert ets["date"].tolist() == [FIRST + timedelta(days=DAYS + k) for k in range(28)]
    assert np.abs(ets["point"].to_numpy() - truth).max() < 2.0
    assert ((ets["lower"] <= truth) & (truth <= ets["upper"])).all()


def test_the_baseline_repeats_the_last_observed_week_exactly(planted):
    naive = planted[planted["model"] == BASELINE]
    last_week = [planted_sessions(d) + NOISE[d % len(NOISE)] for d in range(DAYS - 7, DAYS)]
    assert naive["point"].tolist() == last_week * 4


def test_a_refresh_replaces_the_previous_rows(planted, conn):
    before = conn.execute("SELECT count(*), max(generated_at) FROM marts.forecasts").fetchone()
    refresh(conn)
    after = conn.execute("SELECT count(*), max(generated_at), min(generated_at) FROM marts.forecasts").fetchone()
    assert before[0] == after[0] == 2 * 28
    assert after[1] == after[2] > before[1]


def test_cli_prints_the_stored_forecasts_as_documented_json(planted, capsys):
    assert cli.main(["forecast", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert set(found) == {"generated_at", "level", "series"}
    assert found["level"] == 0.8
    [series] = found["series"]
    assert set(series) == {"series", "model", "forecast"} and series["series"] == "daily_sessions"
    assert len(series["forecast"]) == 28
    assert set(series["forecast"][0]) == {"date", "point", "lower", "upper", "baseline"}
    assert cli.main(["forecast"]) == 0
    assert "daily_sessions" in capsys.readouterr().out


def test_seasonal_naive_repeats_the_last_season_with_a_widening_interval():
    history = pd.Series([3.0, 5, 4, 6, 10, 12, 11, 4, 6, 5, 7, 11, 13, 12])
    point, lower, upper = seasonal_naive(history, 7, 14)
    assert point.tolist() == [4, 6, 5, 7, 11, 13, 12] * 2
    sigma = 1.0  # every one-week difference is 1
    assert point - lower == pytest.approx(upper - point)
    assert upper[:7] - point[:7] == pytest.approx([1.2815515655446004 * sigma] * 7)
    assert upper[7:] - point[7:] == pytest.approx([1.2815515655446004 * sigma * np.sqrt(2)] * 7)
