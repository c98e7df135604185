"""A population that moves (simulate(..., moving=True)): users join and leave over the simulated
span, the service grows, and listening dips over the year-end holidays and in summer.

Rates, per week and of the users active that week (rough public figures for a growing streaming
service; the point is a series a forecaster can learn, not a particular company):
- leaving: LEAVE_PER_WEEK (1%, about 4% a month: Spotify's reported premium churn is 2-4% a month,
  free users leave faster). A user's stay is exponential, so a user already there leaves at the
  same rate as a newcomer.
- joining: JOIN_PER_WEEK (2%), so the active population grows about 1% a week (steady growth,
  e^(0.01 x weeks)).
- users 0..users-1 are everyone the span ever sees: a share is already there on the first day
  (join_day = the day before), the rest join on days drawn so that joins keep pace with the
  growing population.
A user listens only from their join day to their leave day, both included; leave_day past the
span means they stay.

Activity (sessions per day, on top of the weekday/weekend rhythm; assumptions, not measured here):
- holidays: late December, 24 December to 1 January, HOLIDAY_FACTOR (0.8): no commute, no office.
- summer: a smooth dip from 15 June to 15 September, deepest (SUMMER_DIP, 10%) at the end of July.

Deterministic: join and leave days are pure functions of (seed, user index, first day, days), drawn
from counters 1 and 2 of the user's USER_ID stream, which otherwise draws only counter 0, so no
other draw moves and a user's days do not depend on the sharding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wrapped_lake.simulate.rng import CounterRNG, Stream

LEAVE_PER_WEEK = 0.01
JOIN_PER_WEEK = 0.02
HOLIDAY_FACTOR = 0.8
SUMMER_DIP = 0.10
SUMMER_FIRST_DAY_OF_YEAR = 165  # 15 June (0-based, 166 in a leap year: close enough for a dip)
SUMMER_DAYS = 92  # to 15 September
ALWAYS_FROM, ALWAYS_UNTIL = np.iinfo(np.int32).min, np.iinfo(np.int32).max  # join/leave of a user who never moves
_JOIN_COUNTER, _LEAVE_COUNTER = 1, 2


@dataclass(frozen=True)
class Movement:
    """The moving population of one simulated span: UTC days [first_day, first_day + days) since 1970-01-01."""

    first_day: int
    days: int

    @property
    def growth_per_week(self) -> float:
        return JOIN_PER_WEEK - LEAVE_PER_WEEK

    def initial_share(self) -> float:
        """Share of users 0..users-1 already there on the first day; the rest join during the span.

        With A(t) = A0 e^(g t) active users after t weeks and joins at j A(t) a week, the span sees
        A0 (1 + j/g (e^(g W) - 1)) users over its W weeks.
        """
        g, weeks = self.growth_per_week, self.days / 7
        return 1.0 / (1.0 + JOIN_PER_WEEK / g * np.expm1(g * weeks))

    def lifetimes(self, rng: CounterRNG, users: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Join day and leave day (epoch days, both included) of each user index."""
        g, weeks, p0 = self.growth_per_week, self.days / 7, self.initial_share()
        u = rng.uniform(Stream.USER_ID, users, _JOIN_COUNTER)
        # Newcomers' join times follow the population's growth: density e^(g t) on [0, W) weeks.
        later = np.clip((u - p0) / (1 - p0), 0.0, 1.0)
        joined_after = np.log1p(later * np.expm1(g * weeks)) / g
        join = np.where(u < p0, self.first_day - 1, self.first_day + np.floor(joined_after * 7).astype(np.int64))
        stay_days = -np.log(rng.uniform(Stream.USER_ID, users, _LEAVE_COUNTER)) / LEAVE_PER_WEEK * 7
        leave = np.maximum(join, self.first_day) + np.minimum(np.floor(stay_days), ALWAYS_UNTIL // 2).astype(np.int64)
        return join.astype(np.int64), leave.astype(np.int64)


def activity_factor(day: np.ndarray) -> np.ndarray:
    """Multiplier of every user's session rate on each epoch day: the holiday and summer dips."""
    date = np.asarray(day, dtype=np.int64).astype("datetime64[D]")
    day_of_year = (date - date.astype("datetime64[Y]")).astype(np.int64)
    month = date.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day_of_month = (date - date.astype("datetime64[M]")).astype(np.int64) + 1
    holiday = ((month == 12) & (day_of_month >= 24)) | ((month == 1) & (day_of_month == 1))
    into_summer = (day_of_year - SUMMER_FIRST_DAY_OF_YEAR) / SUMMER_DAYS
    summer = np.where((into_summer >= 0) & (into_summer <= 1), 0.5 * (1 - np.cos(2 * np.pi * into_summer)), 0.0)
    return np.where(holiday, HOLIDAY_FACTOR, 1.0) * (1 - SUMMER_DIP * summer)
