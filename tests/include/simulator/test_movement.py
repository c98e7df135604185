"""The moving population (simulate --moving): joins and leaves at the documented rates, nobody
listening outside their days, holiday and summer dips, and no change when it is off."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from wrapped_lake.simulate import movement, run
from wrapped_lake.simulate.catalog import default_catalog
from wrapped_lake.simulate.population import draw_population, personality_weights
from wrapped_lake.simulate.rng import CounterRNG
from wrapped_lake.simulate.timeline import MAX_SESSIONS_PER_DAY

START = dt.date(2026, 1, 5)
FIRST_DAY = (START - dt.date(1970, 1, 1)).days
WEEKS = 26


@pytest.fixture(scope="module")
def people():
    """Join and leave days of 20,000 users over 26 weeks (traits only: no sessions are drawn)."""
    span = movement.Movement(FIRST_DAY, WEEKS * 7)
    population = draw_population(CounterRNG(11), np.arange(20_000), default_catalog(), personality_weights(None, None),
                                 span)  # fmt: skip
    return population.join_day, population.leave_day


def weekly_flows(join: np.ndarray, leave: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per week of the span: users active on its first day, joins during it, leaves during it."""
    starts = FIRST_DAY + 7 * np.arange(WEEKS)
    active = np.array([((join <= d) & (leave >= d)).sum() for d in starts])
    joins = np.array([((join >= d) & (join < d + 7)).sum() for d in starts])
    leaves = np.array([((leave >= d) & (leave < d + 7)).sum() for d in starts])
    return active, joins, leaves


def test_users_join_and_leave_at_the_documented_weekly_rates(people):
    active, joins, leaves = weekly_flows(*people)
    assert joins.sum() / active.sum() == pytest.approx(movement.JOIN_PER_WEEK, rel=0.1)
    assert leaves.sum() / active.sum() == pytest.approx(movement.LEAVE_PER_WEEK, rel=0.1)


def test_the_active_population_grows_steadily(people):
    active, _, _ = weekly_flows(*people)
    growth = np.exp(np.polyfit(np.arange(WEEKS), np.log(active), 1)[0]) - 1
    assert growth == pytest.approx(movement.JOIN_PER_WEEK - movement.LEAVE_PER_WEEK, abs=0.002)
    assert (np.diff(active) > 0).mean() > 0.8


def test_the_share_there_from_the_start_matches_the_documented_formula(people):
    join, _ = people
    assert (join < FIRST_DAY).mean() == pytest.approx(movement.Movement(FIRST_DAY, WEEKS * 7).initial_share(), abs=0.01)


def test_nobody_listens_before_joining_or_after_leaving():
    feed = run.generate(60, 42, START, 5, moving=True)
    day = feed.sessions.key // MAX_SESSIONS_PER_DAY  # the session's local day
    user = feed.sessions.user
    population = feed.population
    assert (population.join_day >= FIRST_DAY).any() and (population.leave_day < FIRST_DAY + 42).any()
    assert ((day >= population.join_day[user]) & (day <= population.leave_day[user])).all()


def test_late_december_and_summer_are_quieter():
    days = np.array([(dt.date(2026, m, d) - dt.date(1970, 1, 1)).days for m, d in [(3, 2), (12, 25), (7, 31), (6, 1)]])
    factor = movement.activity_factor(days)
    assert factor[0] == 1.0 and factor[3] == 1.0
    assert factor[1] == movement.HOLIDAY_FACTOR
    assert factor[2] == pytest.approx(1 - movement.SUMMER_DIP, abs=0.01)


def test_without_moving_every_user_is_there_every_day():
    feed = run.generate(20, 7, START, 5)
    assert (feed.population.join_day < FIRST_DAY - 1).all() and (feed.population.leave_day > FIRST_DAY + 8).all()
