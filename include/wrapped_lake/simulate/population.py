"""Simulated listeners and their stable traits, each drawn once per user from (seed, user index)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np

from wrapped_lake.analytics.codes import CODES
from wrapped_lake.simulate.catalog import Catalog
from wrapped_lake.simulate.markets import COUNTRY_SHARES, PRIMARY_DEVICE_SHARES, TIER_SHARES
from wrapped_lake.simulate.movement import ALWAYS_FROM, ALWAYS_UNTIL, Movement
from wrapped_lake.simulate.rng import CounterRNG, Stream, categorical

FAVOURITE_GENRES = 3
# Each personality axis is a continuous trait in 0..1: the first letter (F, T, L, C) draws it from
# [0, SIDE_WIDTH), the second (E, N, V, U) from (1 - SIDE_WIDTH, 1]. The gap in the middle is what
# lets the Wrapped scores give the code back; within a side, users differ continuously.
SIDE_WIDTH = 0.42
# Share of the second letter (E, N, V, U) per axis in a default population. The F/E and L/V
# thresholds sit at real listeners' yearly medians; over 60 days the same real listeners score
# higher (exploration 0.09 [0.06-0.13], variety 0.38 [0.32-0.50]), so about 3 in 4 of them land
# on the E and V sides there, and a default simulated population does the same.
DEFAULT_LETTER_SHARES = np.array([0.75, 0.5, 0.75, 0.5])
# Activity, measured on 25 real account-data histories (last 60 days, median per listener): 2.7
# sessions per active day, 18 plays per session, a play on 92% of days, 20% one-play sessions.
SESSIONS_PER_DAY = 3.6
PLAYS_PER_SESSION = 14.0
DAYS_OFF = 0.03
ONE_PLAY_SESSIONS = 0.19
# Skip share per listener: real 10th-90th percentile 0.05-0.67, median about 0.28.
SKIP_SHAPE = (1.2, 2.4)
SESSION_SIZE_SPREAD = 0.7  # sigma of a user's multi-play session sizes (lognormal)


@dataclass(frozen=True)
class Population:
    """One row per simulated user; every trait is fixed for the user's whole life."""

    index: np.ndarray  # int64 user index within the simulation (0..users-1)
    user_id: np.ndarray  # str, 16 hex digits
    country: np.ndarray  # int16 index into markets.COUNTRIES
    tier: np.ndarray  # int8 index into markets.TIERS
    personality: np.ndarray  # int8 index into personality.CODES
    device_weights: np.ndarray  # (users, 4) float: how often each device is used
    sessions_per_day: np.ndarray  # float: mean sessions on a listening day
    days_off: np.ndarray  # float: share of days without any listening
    plays_per_session: np.ndarray  # float, median of the sessions with more than one play
    one_play_share: np.ndarray  # float: share of sessions that are a single play
    chronotype_hours: np.ndarray  # float: shift of the daily rhythm (late risers > 0)
    skip_rate: np.ndarray  # float
    playlist_share: np.ndarray  # float: share of sessions played from a playlist
    favourite_genres: np.ndarray  # (users, 3) int16 index into catalog.genres
    explorer: np.ndarray  # float 0..1: F (low) vs E (high), drives discovery and library shape
    variety: np.ndarray  # float 0..1: L (low) vs V (high), drives repeats and library size
    prefers_new: np.ndarray  # float 0..1: T (low) vs N (high), share of fresh picks among new releases
    prefers_niche: np.ndarray  # float 0..1: C (low) vs U (high), share of fresh picks leaning obscure
    join_day: np.ndarray  # int64 epoch day of the first day the user may listen (simulate/movement.py)
    leave_day: np.ndarray  # int64 epoch day of the last day the user may listen

    def __len__(self) -> int:
        return int(self.index.size)

    def take(self, rows: np.ndarray | slice) -> Population:
        """The same traits for a subset of users."""
        return Population(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})


def expected_plays(population: Population) -> np.ndarray:
    """Mean plays per day a user's activity traits give."""
    per_session = population.one_play_share + (1 - population.one_play_share) * population.plays_per_session * np.exp(
        SESSION_SIZE_SPREAD**2 / 2
    )
    return population.sessions_per_day * (1 - population.days_off) * per_session


TYPICAL_PLAYS = (
    SESSIONS_PER_DAY
    * (1 - DAYS_OFF)
    * (ONE_PLAY_SESSIONS + (1 - ONE_PLAY_SESSIONS) * PLAYS_PER_SESSION * np.exp(SESSION_SIZE_SPREAD**2 / 2))
)


def personality_weights(personality: str | None, mix: Mapping[str, float] | None) -> np.ndarray:
    """Weights over CODES: one forced code, a given mix, or by default DEFAULT_LETTER_SHARES."""
    if personality is not None and mix is not None:
        raise ValueError("give either personality or personality_mix, not both")
    unknown = [c for c in ([personality] if personality else list(mix or {})) if c not in CODES]
    if unknown:
        raise ValueError(f"unknown personality code(s) {', '.join(unknown)}; expected some of {', '.join(CODES)}")
    if personality is not None:
        return np.array([float(c == personality) for c in CODES])
    if mix is not None:
        weights = np.array([float(mix.get(c, 0.0)) for c in CODES])
        if (weights < 0).any() or weights.sum() <= 0:
            raise ValueError("personality_mix weights must be non-negative with a positive sum")
        return weights
    second = np.array([[code[axis] == "ENVU"[axis] for axis in range(4)] for code in CODES])
    return np.where(second, DEFAULT_LETTER_SHARES, 1.0 - DEFAULT_LETTER_SHARES).prod(axis=1)


def _kumaraswamy(u: np.ndarray, a: float, b: float) -> np.ndarray:
    """Kumaraswamy(a, b) by inverse transform: a beta-like spread on 0..1 with a closed form."""
    return (1.0 - (1.0 - u) ** (1.0 / b)) ** (1.0 / a)


def _trait(rng: CounterRNG, stream: Stream, users: np.ndarray, second_letter: np.ndarray) -> np.ndarray:
    """A continuous 0..1 trait on the side of the gap its letter says."""
    u = rng.uniform(stream, users) * SIDE_WIDTH
    return np.where(second_letter, 1.0 - u, u)


def draw_population(
    rng: CounterRNG, users: np.ndarray, catalog: Catalog, code_weights: np.ndarray, movement: Movement | None = None
) -> Population:
    """Traits for the given user indices; with a movement, the days each user joins and leaves."""
    users = np.asarray(users, dtype=np.int64)
    n = users.size
    codes = np.array(CODES)
    personality = categorical(rng.uniform(Stream.PERSONALITY, users), code_weights).astype(np.int8)
    letters = codes[personality].astype("U4").view("U1").reshape(n, 4) if n else np.empty((0, 4), dtype="U1")

    primary = categorical(rng.uniform(Stream.DEVICE_PRIMARY, users), PRIMARY_DEVICE_SHARES)
    spread = rng.uniform(Stream.DEVICE_SPREAD, users)[:, None] * 0.5
    device_weights = spread * PRIMARY_DEVICE_SHARES[None, :] + np.eye(4)[primary] * (1 - spread)

    genre_sizes = np.bincount(catalog.artist_genre, minlength=len(catalog.genres)).astype(float)
    genre_draws = np.stack([rng.uniform(Stream.GENRES, users, k) for k in range(FAVOURITE_GENRES)], axis=1)
    favourite = categorical(genre_draws.ravel(), genre_sizes).reshape(n, FAVOURITE_GENRES).astype(np.int16)
    if movement is None:
        join, leave = np.full(n, ALWAYS_FROM, dtype=np.int64), np.full(n, ALWAYS_UNTIL, dtype=np.int64)
    else:
        join, leave = movement.lifetimes(rng, users)

    return Population(
        index=users,
        user_id=np.array([f"{b:016x}" for b in rng.bits(Stream.USER_ID, users).tolist()], dtype=object),
        country=categorical(rng.uniform(Stream.COUNTRY, users), COUNTRY_SHARES).astype(np.int16),
        tier=categorical(rng.uniform(Stream.TIER, users), TIER_SHARES).astype(np.int8),
        personality=personality,
        device_weights=device_weights,
        sessions_per_day=SESSIONS_PER_DAY * np.exp(0.35 * rng.normal(Stream.ACTIVITY, users)),
        days_off=DAYS_OFF * np.exp(0.8 * rng.normal(Stream.DAYS_OFF, users)),
        plays_per_session=PLAYS_PER_SESSION * np.exp(0.3 * rng.normal(Stream.SESSION_SIZE, users)),
        one_play_share=ONE_PLAY_SESSIONS * np.exp(0.4 * rng.normal(Stream.ONE_PLAY, users)),
        chronotype_hours=1.3 * rng.normal(Stream.CHRONOTYPE, users),
        skip_rate=_kumaraswamy(rng.uniform(Stream.SKIP_RATE, users), *SKIP_SHAPE),
        playlist_share=0.6 * rng.uniform(Stream.PLAYLIST_SHARE, users),
        favourite_genres=favourite,
        explorer=_trait(rng, Stream.EXPLORER, users, letters[:, 0] == "E"),
        prefers_new=_trait(rng, Stream.NEW_TASTE, users, letters[:, 1] == "N"),
        variety=_trait(rng, Stream.VARIETY, users, letters[:, 2] == "V"),
        prefers_niche=_trait(rng, Stream.NICHE_TASTE, users, letters[:, 3] == "U"),
        join_day=join,
        leave_day=leave,
    )
