"""Simulated listeners and their stable traits, each drawn once per user from (seed, user index)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from wrapped_lake.analytics.codes import CODES
from wrapped_lake.simulate.catalog import Catalog
from wrapped_lake.simulate.markets import COUNTRY_SHARES, PRIMARY_DEVICE_SHARES, TIER_SHARES
from wrapped_lake.simulate.rng import CounterRNG, Stream, categorical

# Behaviour behind each personality letter, before a small per-user jitter:
# F returns to an artist already heard on most picks, E almost never does;
RETURN_TO_KNOWN_ARTIST = {"F": 0.88, "E": 0.05}
# L replays one of its last few tracks on two picks in five, V hardly ever.
REPLAY_RECENT_TRACK = {"L": 0.4, "V": 0.03}
FAVOURITE_GENRES = 3


@dataclass(frozen=True)
class Population:
    """One row per simulated user; every trait is fixed for the user's whole life."""

    index: np.ndarray  # int64 user index within the simulation (0..users-1)
    user_id: np.ndarray  # str, 16 hex digits
    country: np.ndarray  # int16 index into markets.COUNTRIES
    tier: np.ndarray  # int8 index into markets.TIERS
    personality: np.ndarray  # int8 index into personality.CODES
    device_weights: np.ndarray  # (users, 4) float: how often each device is used
    sessions_per_day: np.ndarray  # float
    plays_per_session: np.ndarray  # float, median
    skip_rate: np.ndarray  # float
    playlist_share: np.ndarray  # float: share of sessions played from a playlist
    favourite_genres: np.ndarray  # (users, 3) int16 index into catalog.genres
    replay_recent: np.ndarray  # float: probability a pick replays a recent track
    return_to_known: np.ndarray  # float: probability a fresh pick goes to a known artist
    prefers_new: np.ndarray  # bool: the N side of Timelessness vs Newness
    prefers_niche: np.ndarray  # bool: the U side of Commonality vs Uniqueness

    def __len__(self) -> int:
        return int(self.index.size)


def personality_weights(personality: str | None, mix: Mapping[str, float] | None) -> np.ndarray:
    """Weights over CODES: one forced code, a given mix, or uniform."""
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
    return np.ones(len(CODES))


def _jitter(rng: CounterRNG, stream: Stream, users: np.ndarray, base: np.ndarray, spread: float) -> np.ndarray:
    return np.clip(base * np.exp(spread * rng.normal(stream, users)), 0.0, 0.95)


def draw_population(rng: CounterRNG, users: np.ndarray, catalog: Catalog, code_weights: np.ndarray) -> Population:
    """Traits for the given user indices."""
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

    known_base = np.where(letters[:, 0] == "F", RETURN_TO_KNOWN_ARTIST["F"], RETURN_TO_KNOWN_ARTIST["E"])
    replay_base = np.where(letters[:, 2] == "L", REPLAY_RECENT_TRACK["L"], REPLAY_RECENT_TRACK["V"])
    return Population(
        index=users,
        user_id=np.array([f"{b:016x}" for b in rng.bits(Stream.USER_ID, users).tolist()], dtype=object),
        country=categorical(rng.uniform(Stream.COUNTRY, users), COUNTRY_SHARES).astype(np.int16),
        tier=categorical(rng.uniform(Stream.TIER, users), TIER_SHARES).astype(np.int8),
        personality=personality,
        device_weights=device_weights,
        sessions_per_day=np.exp(np.log(1.8) + 0.55 * rng.normal(Stream.ACTIVITY, users)),
        plays_per_session=np.exp(np.log(7.0) + 0.35 * rng.normal(Stream.SESSION_SIZE, users)),
        skip_rate=0.08 + 0.3 * rng.uniform(Stream.SKIP_RATE, users),
        playlist_share=0.6 * rng.uniform(Stream.PLAYLIST_SHARE, users),
        favourite_genres=favourite,
        replay_recent=_jitter(rng, Stream.REPLAY_JITTER, users, replay_base, 0.15),
        return_to_known=_jitter(rng, Stream.KNOWN_JITTER, users, known_base, 0.1),
        prefers_new=letters[:, 1] == "N",
        prefers_niche=letters[:, 3] == "U",
    )
