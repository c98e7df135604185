"""When people listen: sessions over local days, and plays laid end to end inside each session."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wrapped_lake.simulate.markets import UTC_OFFSET_MINUTES, WEEKDAY_HOURLY, WEEKEND_HOURLY, WEEKEND_SESSION_FACTOR
from wrapped_lake.simulate.movement import activity_factor
from wrapped_lake.simulate.population import SESSION_SIZE_SPREAD, Population
from wrapped_lake.simulate.rng import CounterRNG, Stream, categorical

MS_PER_DAY = 86_400_000
MS_PER_HOUR = 3_600_000
MAX_SESSIONS_PER_DAY = 48
MAX_PLAYS_PER_SESSION = 150
PLAYLISTS_PER_USER = 8
SESSION_SPACING_MS = 1_000  # least time between one session's LEAVE_APP and the next session


@dataclass(frozen=True)
class Sessions:
    """Listening sessions sorted by user, then start; starts are UTC ms."""

    user: np.ndarray  # int64 row in the population
    start: np.ndarray  # int64
    plays: np.ndarray  # int64 planned number of plays
    device: np.ndarray  # int8 index into markets.DEVICES
    playlist: np.ndarray  # int8 playlist number, -1 when the listener picks tracks directly
    key: np.ndarray  # int64 draw counter of the session: local day * MAX_SESSIONS_PER_DAY + n

    def __len__(self) -> int:
        return int(self.user.size)


def _is_weekend(day: np.ndarray) -> np.ndarray:
    return (day + 3) % 7 >= 5  # day 0, 1970-01-01, was a Thursday


def draw_sessions(
    rng: CounterRNG, population: Population, first_day: int, days: int, *, seasons: bool = False
) -> Sessions:
    """Sessions starting in [first_day, first_day + days) UTC, drawn per user per local day.

    A user has none outside their join and leave days; `seasons` adds the holiday and summer dips
    (simulate/movement.py).
    """
    # Local days reach one day either side of the UTC window, since offsets run from -6 h to +12 h.
    local_days = np.arange(first_day - 1, first_day + days + 1, dtype=np.int64)
    day_factor = np.where(_is_weekend(local_days), WEEKEND_SESSION_FACTOR, 1.0)
    if seasons:
        day_factor = day_factor * activity_factor(local_days)
    rate = population.sessions_per_day[:, None] * day_factor
    users, grid = population.index[:, None], local_days[None, :]
    away = (grid < population.join_day[:, None]) | (grid > population.leave_day[:, None])
    off = (rng.uniform(Stream.DAY_OFF, users, grid) < population.days_off[:, None]) | away
    counts = np.where(
        off, 0, np.minimum(rng.poisson(Stream.SESSION_COUNT, users, grid, rate), MAX_SESSIONS_PER_DAY)
    ).ravel()
    user = np.repeat(np.repeat(np.arange(len(population)), local_days.size), counts)
    day = np.repeat(np.tile(local_days, len(population)), counts)
    nth = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    uid = population.index[user]
    counter = day * MAX_SESSIONS_PER_DAY + nth

    hour_u = rng.uniform(Stream.SESSION_HOUR, uid, counter)
    hour = np.where(_is_weekend(day), categorical(hour_u, WEEKEND_HOURLY), categorical(hour_u, WEEKDAY_HOURLY))
    within = rng.uniform(Stream.SESSION_MS, uid, counter) + population.chronotype_hours[user]
    start = (
        day * MS_PER_DAY
        + hour * MS_PER_HOUR
        + np.floor(within * MS_PER_HOUR).astype(np.int64)
        - UTC_OFFSET_MINUTES[population.country[user]] * 60_000
    )

    # Many sessions are a single play (real listeners: 20%); the rest are lognormal around the median.
    size = population.plays_per_session[user] * np.exp(
        SESSION_SIZE_SPREAD * rng.normal(Stream.SESSION_PLAYS, uid, counter)
    )
    one = rng.uniform(Stream.SESSION_ONE, uid, counter) < population.one_play_share[user]
    plays = np.where(one, 1, np.clip(np.round(size), 2, MAX_PLAYS_PER_SESSION)).astype(np.int64)
    device = categorical(rng.uniform(Stream.SESSION_DEVICE, uid, counter), population.device_weights[user])
    playlist_u = rng.uniform(Stream.SESSION_PLAYLIST, uid, counter)
    share = population.playlist_share[user]
    playlist = np.where(playlist_u < share, np.floor(playlist_u / share * PLAYLISTS_PER_USER), -1)

    keep = (start >= first_day * MS_PER_DAY) & (start < (first_day + days) * MS_PER_DAY)
    order = np.lexsort((start[keep], user[keep]))
    return Sessions(
        user=user[keep][order],
        start=start[keep][order],
        plays=plays[keep][order],
        device=device[keep][order].astype(np.int8),
        playlist=playlist[keep][order].astype(np.int8),
        key=counter[keep][order],
    )


def grouped_exclusive_cumsum(values: np.ndarray, group_start: np.ndarray) -> np.ndarray:
    """Running total before each element, restarting at every group start (a boolean mask)."""
    total = np.cumsum(values) - values
    first = np.maximum.accumulate(np.where(group_start, np.arange(values.size), 0))
    return total - total[first]


def settle_starts(user: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Delay each of a user's sessions until the previous one is over: s'_i = max(s_i, end'_{i-1} + spacing)."""
    if user.size == 0:
        return start
    first = np.r_[True, user[1:] != user[:-1]]
    before = grouped_exclusive_cumsum(length + SESSION_SPACING_MS, first)
    # With c_i the time taken by earlier sessions, s'_i - c_i is a running maximum of s_i - c_i.
    rank = np.cumsum(first) - 1
    shift = np.int64(1) << np.int64(42)  # above any ms timestamp before 2109
    lifted = start - before + rank * shift
    return np.maximum.accumulate(lifted) - rank * shift + before
