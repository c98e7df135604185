"""Counter-based random numbers: every draw is a pure function of (seed, stream, user, counter).

A user's draws therefore never depend on which other users share the shard or the chunk, which
is what makes the output identical whatever the shard count. The mixer is SplitMix64's finaliser,
applied to numpy uint64 arrays so whole populations draw at once.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TWO_PI = 2.0 * np.pi


class Stream(IntEnum):
    """One independent stream per purpose, so adding a draw never shifts the others."""

    USER_ID = 1
    COUNTRY = 2
    TIER = 3
    PERSONALITY = 4
    DEVICE_PRIMARY = 5
    DEVICE_SPREAD = 6
    ACTIVITY = 7
    SESSION_SIZE = 8
    SKIP_RATE = 9
    PLAYLIST_SHARE = 10
    GENRES = 11
    EXPLORER = 14
    VARIETY = 15
    NEW_TASTE = 16
    NICHE_TASTE = 17
    DAYS_OFF = 18
    ONE_PLAY = 19
    SESSION_COUNT = 20
    SESSION_HOUR = 21
    SESSION_MS = 22
    SESSION_PLAYS = 23
    SESSION_DEVICE = 24
    SESSION_PLAYLIST = 25
    SESSION_GAP = 26
    DAY_OFF = 27
    SESSION_ONE = 28
    CHRONOTYPE = 29
    PICK = 30
    PICK_WHICH = 31
    WARMUP_PROFILE = 34
    REDRAW_WHICH = 35
    REDRAW_TRACK = 36
    WARMUP_RANK = 38
    WARMUP_ARTIST = 39
    PLAY_SKIP = 40
    PLAY_SKIP_AT = 41
    PLAY_INTERACTION = 42
    PLAY_INTERACTION_AT = 43
    PLAY_PAUSE_MS = 44
    PLAY_GAP = 45
    PLAY_AD = 46
    LEAVE_GAP = 47
    LIBRARY_WALK = 48


def _mix(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


class CounterRNG:
    """Vectorised draws addressed by (stream, user, counter) under one seed."""

    def __init__(self, seed: int) -> None:
        key = _mix(np.array([seed & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64))[0]
        # One key per stream, mixed once: the picks draw ~12 times per play position.
        salts = {stream: np.uint64((int(stream) * 0x632BE59BD9B4E019) & 0xFFFFFFFFFFFFFFFF) for stream in Stream}
        self._stream_keys = {stream: _mix(np.array([key ^ salt], dtype=np.uint64)) for stream, salt in salts.items()}

    def bits(self, stream: Stream, user: np.ndarray, counter: np.ndarray | int = 0) -> np.ndarray:
        """64 random bits per element of the broadcast of user and counter."""
        user = np.atleast_1d(np.asarray(user, dtype=np.int64)).astype(np.uint64)
        counter = np.atleast_1d(np.asarray(counter, dtype=np.int64)).astype(np.uint64)
        x = _mix(self._stream_keys[stream] + user * _GOLDEN)
        return _mix(x + (counter + np.uint64(1)) * _GOLDEN)

    def uniform(self, stream: Stream, user: np.ndarray, counter: np.ndarray | int = 0) -> np.ndarray:
        """Floats in the open interval (0, 1)."""
        return ((self.bits(stream, user, counter) >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53

    def uniforms(
        self, stream: Stream, user: np.ndarray, counter: np.ndarray | int, widths: tuple[int, ...]
    ) -> list[np.ndarray]:
        """Several coarser uniforms in (0, 1) cut from one 64-bit draw, `widths` bits each (sum <= 64)."""
        b = self.bits(stream, user, counter)
        out = []
        for width in widths:
            part = (b & np.uint64((1 << width) - 1)).astype(np.float64)
            out.append((part + 0.5) * 2.0**-width)
            b = b >> np.uint64(width)
        return out

    def normal(self, stream: Stream, user: np.ndarray, counter: np.ndarray | int = 0) -> np.ndarray:
        """Standard normal draws (Box-Muller on two halves of one 64-bit draw)."""
        b = self.bits(stream, user, counter)
        u1 = ((b >> np.uint64(32)).astype(np.float64) + 0.5) * 2.0**-32
        u2 = ((b & np.uint64(0xFFFFFFFF)).astype(np.float64) + 0.5) * 2.0**-32
        return np.sqrt(-2.0 * np.log(u1)) * np.cos(_TWO_PI * u2)

    def poisson(self, stream: Stream, user: np.ndarray, counter: np.ndarray | int, lam: np.ndarray) -> np.ndarray:
        """Poisson counts by inverse transform; fine for the small rates used here."""
        u = self.uniform(stream, user, counter)
        lam = np.broadcast_to(np.asarray(lam, dtype=np.float64), u.shape)
        k = np.zeros(u.shape, dtype=np.int64)
        p = np.exp(-lam)
        cdf = p.copy()
        for i in range(1, 200):
            above = u > cdf
            if not above.any():
                break
            k += above
            p = p * lam / i
            cdf = cdf + p
        return k


def categorical(u: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Index drawn from weights (last axis) for each uniform u; weights may be 1-D or per row."""
    cdf = np.cumsum(weights, axis=-1, dtype=np.float64)
    cdf = cdf / cdf[..., -1:]
    if cdf.ndim == 1:
        return np.minimum(np.searchsorted(cdf, u, side="right"), cdf.size - 1)
    return np.minimum((u[:, None] >= cdf).sum(axis=1), cdf.shape[1] - 1)
