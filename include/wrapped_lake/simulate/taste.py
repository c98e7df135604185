"""How a listener picks the next track: personality as behaviour, not as a fixed song subset.

Every pick first decides whether to replay one of the user's last few tracks (L vs V), else
whether to return to an artist already heard (F vs E), else discovers a track, mostly within the
user's favourite genres. Fresh picks are weighted by the user's taste table: recent releases
boosted or damped (N vs T) and popular tracks favoured or avoided (C vs U).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wrapped_lake.catalog import UNKNOWN_YEAR, Catalog
from wrapped_lake.simulate.population import Population
from wrapped_lake.simulate.rng import CounterRNG, Stream

RECENT_WINDOW = 10  # a replay picks among the user's last this-many tracks
GENRE_LOYALTY = 0.6  # share of discoveries made within the favourite genres
NEW_RELEASE_BOOST = {True: 12.0, False: 0.25}  # weight of a this-or-last-year release, N vs T
POPULARITY_SLOPE = {False: 0.045, True: -0.045}  # log-weight per popularity point, C vs U

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


def _sample(tables: TasteTables, profile: np.ndarray, lo: np.ndarray, hi: np.ndarray,
            u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A track in [lo, hi) drawn by the profile's weights; also whether the range had any weight."""
    base = profile * tables.tracks
    c_lo = tables.cumulative[base + lo]
    c_hi = tables.cumulative[base + hi]
    found = np.searchsorted(tables.cumulative, c_lo + u * (c_hi - c_lo), side="right") - 1 - base
    return np.clip(found, lo, hi - 1), c_hi > c_lo


def pick_tracks(rng: CounterRNG, population: Population, plays: np.ndarray, catalog: Catalog,
                tables: TasteTables) -> tuple[np.ndarray, np.ndarray]:
    """Track and pick kind for each user's plays, user after user in play order.

    Runs one vectorised step per play position across all users, with users sorted by play count
    so the still-active users are always a prefix.
    """
    order = np.argsort(-plays, kind="stable")
    counts = plays[order]
    longest = int(counts[0]) if counts.size else 0
    n_users = counts.size
    history = np.zeros((n_users, longest), dtype=np.int32)
    kinds = np.zeros((n_users, longest), dtype=np.int8)
    known = np.zeros((n_users, max(longest, 1)), dtype=np.int32)
    n_known = np.zeros(n_users, dtype=np.int64)
    seen = np.zeros((n_users, catalog.artist_name.size), dtype=bool)

    uid = population.index[order]
    replay_p = population.replay_recent[order]
    known_p = population.return_to_known[order]
    profile = TasteTables.profile(population.prefers_new, population.prefers_niche)[order]
    favourite = population.favourite_genres[order].astype(np.int64)
    artist_bounds = catalog.artist_bounds
    genre_bounds = catalog.genre_bounds
    active_at = n_users - np.searchsorted(counts[::-1], np.arange(longest), side="right")

    for j in range(longest):
        n = int(active_at[j])
        rows = np.arange(n)
        mode_u = rng.uniform(Stream.PICK_MODE, uid[:n], j)
        which_u = rng.uniform(Stream.PICK_WHICH, uid[:n], j)
        track_u = rng.uniform(Stream.PICK_TRACK, uid[:n], j)
        kind_u = rng.uniform(Stream.PICK_KIND, uid[:n], j)

        replay = (mode_u < replay_p[:n]) & (j > 0)
        to_known = ~replay & (n_known[:n] > 0) & (kind_u < known_p[:n])
        recent = history[rows, np.maximum(j - 1 - np.floor(which_u * min(j, RECENT_WINDOW)).astype(np.int64), 0)]

        artist = known[rows, np.floor(which_u * n_known[:n]).astype(np.int64)]
        in_genre = which_u < GENRE_LOYALTY
        genre = favourite[rows, np.minimum((which_u / GENRE_LOYALTY * favourite.shape[1]).astype(np.int64),
                                           favourite.shape[1] - 1)]
        lo = np.where(to_known, artist_bounds[artist], np.where(in_genre, genre_bounds[genre], 0))
        hi = np.where(to_known, artist_bounds[artist + 1], np.where(in_genre, genre_bounds[genre + 1], len(catalog)))
        fresh, ok = _sample(tables, profile[:n], lo, hi, track_u)
        if not ok.all():
            whole, _ = _sample(tables, profile[:n][~ok], np.zeros((~ok).sum(), np.int64),
                               np.full((~ok).sum(), len(catalog)), track_u[~ok])
            fresh[~ok] = whole

        track = np.where(replay, recent, fresh).astype(np.int32)
        history[:n, j] = track
        kinds[:n, j] = np.where(replay, REPLAY, np.where(to_known, KNOWN_ARTIST, DISCOVERY))
        track_artist = catalog.artist[track]
        new = ~seen[rows, track_artist]
        new_rows = rows[new]
        seen[new_rows, track_artist[new]] = True
        known[new_rows, n_known[new_rows]] = track_artist[new]
        n_known[new_rows] += 1

    inverse = np.empty_like(order)
    inverse[order] = np.arange(n_users)
    valid = np.arange(longest)[None, :] < plays[:, None]
    return history[inverse][valid], kinds[inverse][valid]
