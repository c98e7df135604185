"""How a listener picks the next track: personality as behaviour, not as a fixed song subset.

Every pick first decides whether to replay one of the user's last few tracks (L vs V), else
whether to return to an artist already heard (F vs E), else discovers a track, mostly within the
user's favourite genres. A fresh pick is redrawn (a few times at most) when a V listener lands on
a track already heard or an E listener discovers an artist already known. Fresh picks are
weighted by the user's taste table: recent releases boosted or damped (N vs T) and popular
tracks favoured or avoided (C vs U).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wrapped_lake.simulate.catalog import UNKNOWN_YEAR, Catalog
from wrapped_lake.simulate.population import Population
from wrapped_lake.simulate.rng import CounterRNG, Stream

RECENT_WINDOW = 10  # a replay picks among the user's last this-many tracks
GENRE_LOYALTY = 0.6  # share of discoveries made within the favourite genres
NEW_RELEASE_BOOST = {True: 25.0, False: 0.1}  # weight of a this-or-last-year release, N vs T
POPULARITY_SLOPE = {False: 0.06, True: -0.06}  # log-weight per popularity point, C vs U

REDRAWS = 4  # times a fresh pick is redrawn when it lands on something the listener shuns
# Traits below these cut-offs mark V (replays rarely) and E (rarely returns to known artists).
VARIETY_CUTOFF = 0.15
EXPLORATION_CUTOFF = 0.3

# Why a track was picked; skips depend on it.
REPLAY, KNOWN_ARTIST, DISCOVERY = 0, 1, 2


@dataclass(frozen=True)
class TasteTables:
    """Cumulative pick weights for the four taste profiles, laid end to end for one searchsorted."""

    cumulative: np.ndarray  # float64, 4 * tracks + 1
    tracks: int

    @staticmethod
    def profile(prefers_new: np.ndarray, prefers_niche: np.ndarray) -> np.ndarray:
        return prefers_new.astype(np.int64) * 2 + prefers_niche.astype(np.int64)


def taste_tables(catalog: Catalog, year: int) -> TasteTables:
    """Weights for a simulated year: unreleased tracks excluded, new ones boosted per profile."""
    known_year = catalog.release_year != UNKNOWN_YEAR
    released = ~known_year | (catalog.release_year <= year)
    is_new = known_year & (catalog.release_year >= year - 1) & released
    popularity = catalog.popularity.astype(np.float64)
    weights = []
    for new in (False, True):
        for niche in (False, True):
            w = np.exp(POPULARITY_SLOPE[niche] * (popularity - 50.0)) * np.where(is_new, NEW_RELEASE_BOOST[new], 1.0)
            weights.append(np.where(released, w, 0.0))
    cumulative = np.concatenate([[0.0], np.cumsum(np.concatenate(weights))])
    return TasteTables(cumulative=cumulative, tracks=len(catalog))


def _sample(
    tables: TasteTables, profile: np.ndarray, lo: np.ndarray, hi: np.ndarray, u: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A track in [lo, hi) drawn by the profile's weights; also whether the range had any weight."""
    base = profile * tables.tracks
    c_lo = tables.cumulative[base + lo]
    c_hi = tables.cumulative[base + hi]
    found = np.searchsorted(tables.cumulative, c_lo + u * (c_hi - c_lo), side="right") - 1 - base
    return np.clip(found, lo, hi - 1), c_hi > c_lo


def _heard(heard: np.ndarray, rows: np.ndarray, track: np.ndarray) -> np.ndarray:
    return ((heard[rows, track >> 3] >> (track & 7)) & 1).astype(bool)


class _Picker:
    """State of one step-by-step pick run over a block of users sorted by play count."""

    def __init__(
        self,
        rng: CounterRNG,
        population: Population,
        order: np.ndarray,
        longest: int,
        catalog: Catalog,
        tables: TasteTables,
    ) -> None:
        n_users = order.size
        self.rng = rng
        self.catalog = catalog
        self.tables = tables
        self.uid = population.index[order]
        self.replay_p = population.replay_recent[order]
        self.known_p = population.return_to_known[order]
        self.avoids_known_tracks = population.replay_recent[order] < VARIETY_CUTOFF
        self.avoids_known_artists = population.return_to_known[order] < EXPLORATION_CUTOFF
        self.profile = TasteTables.profile(population.prefers_new, population.prefers_niche)[order]
        self.favourite = population.favourite_genres[order].astype(np.int64)
        self.history = np.zeros((n_users, longest), dtype=np.int32)
        self.kinds = np.zeros((n_users, longest), dtype=np.int8)
        self.known = np.zeros((n_users, max(longest, 1)), dtype=np.int32)
        self.n_known = np.zeros(n_users, dtype=np.int64)
        self.seen = np.zeros((n_users, catalog.artist_name.size), dtype=bool)
        self.heard = np.zeros((n_users, (len(catalog) + 7) // 8), dtype=np.uint8)  # one bit per track

    def _ranges(self, rows: np.ndarray, to_known: np.ndarray, which_u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Track slice to draw from: a known artist's tracks, a favourite genre, or the whole catalog."""
        artist = self.known[rows, np.floor(which_u * self.n_known[rows]).astype(np.int64)]
        in_genre = which_u < GENRE_LOYALTY
        slot = np.minimum(
            (which_u / GENRE_LOYALTY * self.favourite.shape[1]).astype(np.int64), self.favourite.shape[1] - 1
        )
        genre = self.favourite[rows, slot]
        bounds_a, bounds_g = self.catalog.artist_bounds, self.catalog.genre_bounds
        lo = np.where(to_known, bounds_a[artist], np.where(in_genre, bounds_g[genre], 0))
        hi = np.where(to_known, bounds_a[artist + 1], np.where(in_genre, bounds_g[genre + 1], len(self.catalog)))
        return lo, hi

    def _fresh(self, rows: np.ndarray, to_known: np.ndarray, which_u: np.ndarray, track_u: np.ndarray) -> np.ndarray:
        lo, hi = self._ranges(rows, to_known, which_u)
        track, ok = _sample(self.tables, self.profile[rows], lo, hi, track_u)
        if not ok.all():
            # Nothing released in that slice yet: fall back to the whole catalog.
            bad = ~ok
            track[bad], _ = _sample(
                self.tables,
                self.profile[rows[bad]],
                np.zeros(bad.sum(), np.int64),
                np.full(bad.sum(), len(self.catalog)),
                track_u[bad],
            )
        return track

    def _unwanted(self, rows: np.ndarray, to_known: np.ndarray, track: np.ndarray) -> np.ndarray:
        """V listeners shun tracks they know; E listeners shun known artists when discovering."""
        artist_known = self.seen[rows, self.catalog.artist[track]]
        return (self.avoids_known_tracks[rows] & _heard(self.heard, rows, track)) | (
            self.avoids_known_artists[rows] & ~to_known & artist_known
        )

    def step(self, j: int, n: int) -> None:
        """Pick play number j for the first n users."""
        rows = np.arange(n)
        uid = self.uid[:n]
        track_u, mode_u, kind_u = self.rng.uniforms(Stream.PICK, uid, j, (32, 16, 16))
        which_u = self.rng.uniform(Stream.PICK_WHICH, uid, j)

        replay = (mode_u < self.replay_p[:n]) & (j > 0)
        to_known = ~replay & (self.n_known[:n] > 0) & (kind_u < self.known_p[:n])
        back = np.floor(which_u * min(j, RECENT_WINDOW)).astype(np.int64)
        recent = self.history[rows, np.maximum(j - 1 - back, 0)]
        fresh = self._fresh(rows, to_known, which_u, track_u)
        for attempt in range(1, REDRAWS + 1):
            again = np.flatnonzero(~replay & self._unwanted(rows, to_known, fresh))
            if again.size == 0:
                break
            counter = j * (REDRAWS + 1) + attempt
            # A V listener whose known artists are exhausted goes looking beyond them on the last try.
            last = attempt == REDRAWS
            still_known = to_known[again] & ~(last & self.avoids_known_tracks[again])
            fresh[again] = self._fresh(
                again,
                still_known,
                self.rng.uniform(Stream.REDRAW_WHICH, uid[again], counter),
                self.rng.uniform(Stream.REDRAW_TRACK, uid[again], counter),
            )

        track = np.where(replay, recent, fresh).astype(np.int32)
        self.history[:n, j] = track
        self.kinds[:n, j] = np.where(replay, REPLAY, np.where(to_known, KNOWN_ARTIST, DISCOVERY))
        self.heard[rows, track >> 3] |= (1 << (track & 7)).astype(np.uint8)
        artist = self.catalog.artist[track]
        new = np.flatnonzero(~self.seen[rows, artist])
        self.seen[new, artist[new]] = True
        self.known[new, self.n_known[new]] = artist[new]
        self.n_known[new] += 1


def pick_tracks(
    rng: CounterRNG, population: Population, plays: np.ndarray, catalog: Catalog, tables: TasteTables
) -> tuple[np.ndarray, np.ndarray]:
    """Track and pick kind for each user's plays, user after user in play order.

    Runs one vectorised step per play position across all users, with users sorted by play count
    so the still-active users are always a prefix.
    """
    order = np.argsort(-plays, kind="stable")
    counts = plays[order]
    longest = int(counts[0]) if counts.size else 0
    picker = _Picker(rng, population, order, longest, catalog, tables)
    active = counts.size - np.searchsorted(counts[::-1], np.arange(longest), side="right")
    for j in range(longest):
        picker.step(j, int(active[j]))
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    valid = np.arange(longest)[None, :] < plays[:, None]
    return picker.history[inverse][valid], picker.kinds[inverse][valid]
