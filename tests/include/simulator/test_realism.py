"""Simulated listeners against real ones: each figure's median inside the real interquartile range,
and a moving population judged over the listeners there throughout, as steady ones are."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from simfeed import LONG_DAYS, LONG_USERS, SEED, START

from wrapped_lake.simulate import realism
from wrapped_lake.simulate.run import Feed, generate


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


MOVING_USERS = 48  # the moving population's test: about 18 s of CPU


@pytest.fixture(scope="module")
def moving_feed() -> Feed:
    return generate(MOVING_USERS, LONG_DAYS, START, SEED, moving=True)


def window_figures(plays: pd.DataFrame) -> pd.DataFrame:
    end = int(dt.datetime.combine(START, dt.time(), dt.UTC).timestamp() * 1000) + LONG_DAYS * 86_400_000
    return realism.listener_figures(plays, end - realism.WINDOW_DAYS * 86_400_000, end)


def test_a_moving_populations_listeners_there_throughout_read_as_the_same_steady_listeners(
    moving_feed: Feed, long_plays: pd.DataFrame
) -> None:
    first = int(dt.datetime.combine(START, dt.time(), dt.UTC).timestamp() * 1000)
    there = realism.there_throughout(moving_feed, first, first + LONG_DAYS * 86_400_000)
    population, first_day = moving_feed.population, first // 86_400_000
    assert 0.4 * MOVING_USERS < there.size < MOVING_USERS  # some joined late or left: they are not judged
    assert (population.join_day[there] < first_day).all()
    assert (population.leave_day[there] >= first_day + LONG_DAYS).all()
    # A user's traits do not depend on moving, so long_plays (the steady population, whose figures the
    # tests above hold in the real ranges) has the same users never away.
    plays = realism.plays_frame(moving_feed)
    moving = window_figures(plays[plays["user"].isin(there)])
    steady = window_figures(long_plays[long_plays["user"].isin(there)])
    assert len(moving) >= 0.9 * there.size
    for name, (_, lo, hi, label) in realism.REAL.items():
        assert abs(moving[name].median() - steady[name].median()) < 0.1 * (hi - lo), label  # 0.02 seen
    # Judged with everyone, the late joiners' short histories make most artists "new" to them.
    everyone = window_figures(plays)
    assert everyone["new_artists"].median() > moving["new_artists"].median() + 0.005


def test_the_moving_report_says_who_it_left_out() -> None:
    text = realism.report(8, 63, START, SEED, moving=True)
    left_out = int(text.split(" who joined or left in the span left out")[0].rsplit("(", 1)[1])
    assert 0 < left_out < 8
