"""Simulated listeners against real ones: each figure's median inside the real interquartile range."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from simfeed import LONG_DAYS, LONG_USERS, SEED, START

from wrapped_lake.simulate import realism


@pytest.fixture(scope="module")
def figures(long_plays: pd.DataFrame) -> pd.DataFrame:
    end = int(dt.datetime.combine(START, dt.time(), dt.UTC).timestamp() * 1000) + LONG_DAYS * 86_400_000
    return realism.listener_figures(long_plays, end - realism.WINDOW_DAYS * 86_400_000, end)


def test_most_simulated_listeners_are_heavy_enough_to_measure(figures: pd.DataFrame) -> None:
    assert len(figures) >= 0.9 * LONG_USERS


@pytest.mark.parametrize("name", list(realism.REAL))
def test_median_lies_in_the_real_interquartile_range(figures: pd.DataFrame, name: str) -> None:
    _, lo, hi, label = realism.REAL[name]
    assert lo <= figures[name].median() <= hi, label


def test_no_two_clusters(figures: pd.DataFrame) -> None:
    for name, (limit, share) in realism.AT_MOST_ABOVE.items():
        assert (figures[name] > limit).mean() <= share, name


def test_skip_shares_spread_like_real_ones(figures: pd.DataFrame) -> None:
    p10, p90 = figures["skip_share"].quantile([0.1, 0.9])
    assert p10 < 0.1 and 0.5 < p90 < 0.75


def test_hour_profile_follows_real_listeners(figures: pd.DataFrame) -> None:
    assert realism.hour_correlation(figures) >= realism.HOUR_CORRELATION


def test_the_report_shows_each_figure_beside_the_real_one() -> None:
    text = realism.report(30, 10, START, SEED)
    assert "share of days with a play" in text and "0.92 [0.87-1]" in text
    assert "hour profile: correlation with real" in text and "personality recovered for" in text
