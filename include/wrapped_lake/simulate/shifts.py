"""Taste shifts: listeners whose favourite artists and genres change on known dates, the truth of phases.

`simulate(..., taste_shifts=SHARE)` picks round(SHARE * users) of the ordinary users; each gets one
shift date, or two when the span allows (half of them), inside the simulated span. At a user's first
play on or after local midnight of a shift date, the user's library is drawn anew (three new
favourite genres, new artists at every rank) and habits are mostly forgotten (taste._Picker.shift);
traits, activity and everything else stay. The other users keep one taste all along. Nothing in the
feed says who shifted: truth() gives (user id, "taste_shift", dates) for the side file, as bots do.

No shift comes in the first FIRST_DAYS of the span (its first weeks are the simulator's burn-in,
while habits grown from the warm-up history settle: phases are scored after it) or the last
EDGE_DAYS, and two shifts are GAP_DAYS apart: every phase can be the 4 weeks the phase finder
(reports/insights.py) asks for, with a week to spare. The plan is drawn for all users at once from
(seed, users), like the bots' plan: it does not depend on the sharding.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from wrapped_lake.simulate.markets import UTC_OFFSET_MINUTES
from wrapped_lake.simulate.population import Population
from wrapped_lake.simulate.rng import CounterRNG, Stream
from wrapped_lake.simulate.timeline import MS_PER_DAY, Sessions

DEFAULT_SHARE = 0.25  # share of users with a shift when the flag is given without a value
# Measured on a simulated year with the phase finder, before any shift: 2 of 40 steady users given a
# change in week 4 or 9 scored from the first day, none scored from week 6 on (5 weeks of burn-in).
BURN_IN_DAYS = 35
FIRST_DAYS = BURN_IN_DAYS + 28  # no shift in the burn-in and the 4 weeks after it
EDGE_DAYS = 35  # nor in the last 5 weeks of the span
GAP_DAYS = 56  # two shifts of one user are 8 weeks apart at least
TWO_SHIFTS = 0.5  # share of shifted users with two shifts, when the span is long enough
MAX_SHIFTS = 2  # a year shows at most three phases
KIND = "taste_shift"
_SALT = 0x5A1F7


def least_days(shifts: int = 1) -> int:
    """The shortest span (days) that holds `shifts` shifts of one user."""
    return FIRST_DAYS + EDGE_DAYS + (shifts - 1) * GAP_DAYS + 1


def plan_shifts(users: int, days: int, share: float, seed: int) -> np.ndarray:
    """(users, MAX_SHIFTS) shift days counted from the span's first day, -1 where none."""
    if not 0 <= share <= 1:
        raise ValueError(f"taste shifts must be a share of the users between 0 and 1, got {share}")
    plan = np.full((users, MAX_SHIFTS), -1, dtype=np.int64)
    if share == 0:
        return plan
    if days < least_days():
        raise ValueError(f"taste shifts need a span of at least {least_days()} days, got {days}")
    rng = np.random.default_rng([seed, _SALT, users])
    shifted = np.sort(rng.permutation(users)[: round(share * users)])
    u = rng.random((shifted.size, 3))
    two = (u[:, 0] < TWO_SHIFTS) & (days >= least_days(2))
    # One shift anywhere between the edges; two: the first leaves room for the gap, the second after it.
    room = np.where(two, days - least_days(2), days - least_days(1))
    first = FIRST_DAYS + np.floor(u[:, 1] * (room + 1)).astype(np.int64)
    second = first + GAP_DAYS + np.floor(u[:, 2] * (days - EDGE_DAYS - GAP_DAYS - first)).astype(np.int64)
    plan[shifted, 0] = first
    plan[shifted[two], 1] = second[two]
    return plan


def shift_positions(plan: np.ndarray, population: Population, sessions: Sessions, first_day: int) -> np.ndarray:
    """(users, MAX_SHIFTS) number of each user's first play after each shift (-1: none), for taste.pick_tracks.

    plan holds the shard's rows of plan_shifts; a shift takes effect at local midnight of its date.
    """
    offset_ms = UTC_OFFSET_MINUTES[population.country].astype(np.int64)[:, None] * 60_000
    at_ms = (first_day + plan) * MS_PER_DAY - offset_ms
    before = sessions.start[:, None] < at_ms[sessions.user]
    played_before = np.stack(
        [
            np.bincount(sessions.user, weights=sessions.plays * before[:, k], minlength=len(population))
            for k in range(plan.shape[1])
        ],
        axis=1,
    ).astype(np.int64)
    return np.where(plan >= 0, played_before, -1)


def truth(users: int, days: int, start: dt.date, share: float, seed: int) -> list[tuple[str, str, tuple[dt.date, ...]]]:
    """(user id, "taste_shift", shift dates) of every shifted user, as the feed names them."""
    plan = plan_shifts(users, days, share, seed)
    shifted = np.flatnonzero(plan[:, 0] >= 0)
    bits = CounterRNG(seed).bits(Stream.USER_ID, shifted)
    return [
        (f"{b:016x}", KIND, tuple(start + dt.timedelta(days=int(d)) for d in plan[i] if d >= 0))
        for b, i in zip(bits.tolist(), shifted, strict=True)
    ]
