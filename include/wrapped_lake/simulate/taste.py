"""How a listener picks the next track: personality as behaviour, habits that feed on themselves.

Every user has a library: artists ranked by a power law, each rank one fixed artist per user, and
starts with a history of WARMUP_PLAYS plays drawn from it, so the first simulated day already has
favourites. Each pick then does one of five things:
- replays one of the last few tracks (same track again the same day);
- habit: replays a track from the history in proportion to its past plays (rich get richer);
- plays another track by an artist from the history, again in proportion to its past plays;
- wanders the library: an artist from the library's power law, long tail included, as radio and
  playlists do, walked so that each artist comes back at nearly regular intervals (a rotation:
  see _Picker._walk); these plays do not feed the habits, so tail artists stay rare;
- discovers an artist never played (a trickle), mostly within the favourite genres.
The explorer trait (F vs E) sets how often the listener wanders and discovers and how long the
library's tail is; the variety trait (L vs V) sets how many picks are tracks not yet played.
Fresh tracks come from taste tables: new releases with the user's prefers_new probability (T vs N),
leaning to obscure tracks with the prefers_niche probability (C vs U).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wrapped_lake.simulate.catalog import UNKNOWN_YEAR, Catalog
from wrapped_lake.simulate.population import FAVOURITE_GENRES, TYPICAL_PLAYS, Population, expected_plays
from wrapped_lake.simulate.rng import CounterRNG, Stream, categorical

WARMUP_PLAYS = 500  # plays of history before the window: enough for favourites, cheap to draw
RECENT_WINDOW = 10  # a replay picks among the user's last this-many tracks
GENRE_LOYALTY = 0.75  # share of library artists and discoveries within the favourite genres
POPULARITY_SLOPE = {False: 0.05, True: -0.05}  # log-weight per popularity point: mainstream vs niche lean
REDRAWS = 4  # times a discovery or another-track pick is redrawn when it lands on something known

# Behaviour along each trait: values at trait 0, at the edges of the gap between the two letters
# (see population.SIDE_WIDTH) and at 1, interpolated linearly in between. Low = F or L, high = E or V.
TRAIT_POINTS = (0.0, 0.42, 0.58, 1.0)
WANDER = (0.0, 0.03, 0.22, 0.27)  # share of picks wandering the library
DISCOVERY = (0.001, 0.002, 0.003, 0.005)  # share of picks that discover an artist
LIBRARY_SLOPE = (1.3, 1.1, 0.8, 0.5)  # power-law exponent of plays over the library's artists
LIBRARY_HEAD = 2.0  # the power law is over rank + this: a few favourites of similar weight
HEAD_SLOPE = 1.2  # the same power law's exponent over the head, the favourites of the history
# Artists in the library (interpolated on a log scale) for a listener of typical activity, in
# proportion to activity otherwise: the long tail of rarely played artists is what exploration measures.
LIBRARY_ARTISTS = (100, 150, 400, 750)
GOLDEN = (5**0.5 - 1) / 2  # step of each user's walk through the library (see _Picker._walk)
WARMUP_ARTISTS = 120  # the history before the window holds the library's head only (typical activity)
RECENT_REPLAY = (0.06, 0.04, 0.02, 0.01)  # share of the other picks replaying one of the last tracks
# Share of all picks that play a track not yet played in the window: wandering and discovery,
# topped up with other tracks by known artists; the rest are habit. Variety follows it closely.
FRESH = (0.0, 0.08, 0.38, 0.65)
# Exponent on the track draw of a wandering pick (u ** it leans to the artist's few favourite tracks,
# as the history does): L listeners wandering to an artist play its usual tracks, V listeners any.
WANDER_LEAN = (3.0, 3.0, 1.0, 1.0)
NEW_PICKS = (0.0, 0.06, 0.55, 0.75)  # share of fresh picks among new releases, along prefers_new
NICHE_PICKS = (0.0, 0.15, 0.85, 1.0)  # share of fresh picks leaning obscure, along prefers_niche
# A taste shift (simulate/shifts.py) draws a new library at counters past this many per earlier
# taste, so the first taste's draws are the ones a simulation without shifts makes.
EPOCH_STRIDE = 1 << 32
SHIFT_KEPT = 100  # plays of the old history kept at a shift, the oldest of the new one

# Why a track was picked; skips depend on it.
RECENT, HABIT_PICK, WANDERED, DISCOVERED, KNOWN_ARTIST = range(5)


@dataclass(frozen=True)
class TasteTables:
    """Cumulative pick weights for four profiles (new-only or not, mainstream or niche), end to end."""

    cumulative: np.ndarray  # float64, 4 * tracks + 1
    tracks: int
    released_artists: np.ndarray  # sorted artist indices with at least one track out by the simulated year


def taste_tables(catalog: Catalog, year: int) -> TasteTables:
    """Weights for a simulated year: unreleased tracks excluded; profile = 2 * new + niche."""
    known_year = catalog.release_year != UNKNOWN_YEAR
    released = ~known_year | (catalog.release_year <= year)
    is_new = known_year & (catalog.release_year >= year - 1) & released
    popularity = catalog.popularity.astype(np.float64)
    weights = []
    for new in (False, True):
        for niche in (False, True):
            w = np.exp(POPULARITY_SLOPE[niche] * (popularity - 50.0))
            weights.append(np.where(released & (is_new == new), w, 0.0))
    cumulative = np.concatenate([[0.0], np.cumsum(np.concatenate(weights))])
    return TasteTables(cumulative=cumulative, tracks=len(catalog), released_artists=np.unique(catalog.artist[released]))


def _along(trait: np.ndarray, values: tuple[float, ...]) -> np.ndarray:
    return np.interp(trait, TRAIT_POINTS, values)


@dataclass(frozen=True)
class Habits:
    """Per-user pick probabilities and library shape derived from the personality traits."""

    edges: np.ndarray  # (users, 4) cumulative probability of RECENT, HABIT_PICK, WANDERED, DISCOVERED
    library_slope: np.ndarray
    library_artists: np.ndarray
    head_artists: np.ndarray  # library ranks the history before the window draws from

    @staticmethod
    def of(population: Population) -> Habits:
        wander = _along(population.explorer, WANDER)
        discovery = _along(population.explorer, DISCOVERY)
        known = np.maximum(_along(population.variety, FRESH) - wander - discovery, 0.0)
        rest = 1.0 - wander - discovery - known
        recent = rest * _along(population.variety, RECENT_REPLAY)
        habit = rest - recent
        activity = expected_plays(population) / TYPICAL_PLAYS
        library = np.maximum(np.exp(_along(population.explorer, np.log(LIBRARY_ARTISTS))) * activity, 5.0)
        return Habits(
            edges=np.cumsum(np.stack([recent, habit, wander, discovery], axis=1), axis=1),
            library_slope=_along(population.explorer, LIBRARY_SLOPE),
            library_artists=library,
            head_artists=np.minimum(np.maximum(WARMUP_ARTISTS * activity, 5.0), library),
        )


class _Sampler:
    """Weighted track draws inside a track slice, falling back when the profile has no weight there."""

    def __init__(self, catalog: Catalog, tables: TasteTables) -> None:
        self.catalog = catalog
        self.tables = tables

    def _once(self, profile, lo, hi, u):
        base = profile * self.tables.tracks
        c_lo = self.tables.cumulative[base + lo]
        c_hi = self.tables.cumulative[base + hi]
        found = np.searchsorted(self.tables.cumulative, c_lo + u * (c_hi - c_lo), side="right") - 1 - base
        return np.clip(found, lo, hi - 1), c_hi > c_lo

    def draw(self, lo: np.ndarray, hi: np.ndarray, u: np.ndarray, new: np.ndarray, niche: np.ndarray) -> np.ndarray:
        """A track in [lo, hi); new-only profiles fall back to older tracks, then to the whole catalog."""
        niche = niche.astype(np.int64)
        track, ok = self._once(2 * new.astype(np.int64) + niche, lo, hi, u)
        if not ok.all():
            bad = np.flatnonzero(~ok)
            track[bad], ok[bad] = self._once(2 * (1 - new[bad].astype(np.int64)) + niche[bad], lo[bad], hi[bad], u[bad])
        if not ok.all():
            bad = np.flatnonzero(~ok)
            everything = np.full(bad.size, len(self.catalog))
            track[bad], _ = self._once(niche[bad], np.zeros(bad.size, np.int64), everything, u[bad])
        return track

    def in_genres(self, favourite: np.ndarray, which_u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A favourite genre's slice for which_u < GENRE_LOYALTY, else the whole catalog."""
        in_genre = which_u < GENRE_LOYALTY
        slot = np.minimum((which_u / GENRE_LOYALTY * favourite.shape[1]).astype(np.int64), favourite.shape[1] - 1)
        genre = favourite[np.arange(favourite.shape[0]), slot]
        bounds = self.catalog.genre_bounds
        return np.where(in_genre, bounds[genre], 0), np.where(in_genre, bounds[genre + 1], len(self.catalog))

    def of_artist(self, artist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        bounds = self.catalog.artist_bounds
        return bounds[artist], bounds[artist + 1]


def _library_ranks(u: np.ndarray, slope: np.ndarray, artists: np.ndarray) -> np.ndarray:
    """Ranks 0..artists-1 drawn by a power law over rank + LIBRARY_HEAD (continuous, then floored)."""
    a = np.where(np.abs(slope - 1.0) < 1e-6, 1.0 + 1e-6, slope)
    lo = (1.0 + LIBRARY_HEAD) ** (1.0 - a)
    hi = (artists + 1.0 + LIBRARY_HEAD) ** (1.0 - a)
    x = (lo + u * (hi - lo)) ** (1.0 / (1.0 - a))
    return np.clip(np.floor(x - 1.0 - LIBRARY_HEAD).astype(np.int64), 0, np.floor(artists).astype(np.int64) - 1)


@dataclass(frozen=True)
class Tastes:
    """What a user's library is drawn from, per user: it changes at a taste shift (simulate/shifts.py)."""

    favourite: np.ndarray  # (users, FAVOURITE_GENRES) int64 genre indices
    prefers_new: np.ndarray  # share of fresh picks among new releases (NEW_PICKS along the trait)
    prefers_niche: np.ndarray  # share of fresh picks leaning obscure (NICHE_PICKS along the trait)
    epoch: np.ndarray  # int64 taste shifts so far: each draws a library of its own

    @staticmethod
    def of(population: Population) -> Tastes:
        return Tastes(
            favourite=population.favourite_genres.astype(np.int64),
            prefers_new=_along(population.prefers_new, NEW_PICKS),
            prefers_niche=_along(population.prefers_niche, NICHE_PICKS),
            epoch=np.zeros(len(population), dtype=np.int64),
        )

    def counter(self, row: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Draw counter of item k (a library rank, a warm-up play) in the current library of each row."""
        return k + self.epoch[row] * EPOCH_STRIDE


def _library_artists(
    rng: CounterRNG, sampler: _Sampler, uid: np.ndarray, rank: np.ndarray, tastes: Tastes, row: np.ndarray
) -> np.ndarray:
    """The artist at each library rank: a fixed draw per (user, taste, rank), the same favourite every time."""
    counter = tastes.counter(row, rank)
    which_u, pick_u = rng.uniforms(Stream.WARMUP_ARTIST, uid, counter, (32, 32))
    new_u, niche_u = rng.uniforms(Stream.WARMUP_PROFILE, uid, counter, (32, 32))
    new = new_u < tastes.prefers_new[row]
    niche = niche_u < tastes.prefers_niche[row]
    lo, hi = sampler.in_genres(tastes.favourite[row], which_u)
    favourite = sampler.catalog.artist[sampler.draw(lo, hi, pick_u, new, niche)]
    # Past the head, any artist of the genre with a track out is as likely: the tail is where
    # obscure artists live. (An artist with nothing released yet would send the pick to a random track.)
    released = sampler.tables.released_artists
    first = np.searchsorted(released, sampler.catalog.artist[lo])
    last = np.searchsorted(released, sampler.catalog.artist[hi - 1], side="right")
    anyone = released[np.minimum(first + np.floor(pick_u * (last - first)).astype(np.int64), released.size - 1)]
    return np.where(rank < WARMUP_ARTISTS, favourite, anyone)


def _warmup(
    rng: CounterRNG, users: np.ndarray, rows: np.ndarray, habits: Habits, tastes: Tastes, sampler: _Sampler
) -> np.ndarray:
    """(rows, WARMUP_PLAYS) tracks of history drawn from the current library of each user in rows."""
    n = rows.size
    uid = np.repeat(users[rows], WARMUP_PLAYS)
    row = np.repeat(rows, WARMUP_PLAYS)
    counter = tastes.counter(row, np.tile(np.arange(WARMUP_PLAYS), n))
    rank_u, track_u = rng.uniforms(Stream.WARMUP_RANK, uid, counter, (32, 32))
    rank = _library_ranks(rank_u, np.full(row.size, HEAD_SLOPE), habits.head_artists[row])
    artist = _library_artists(rng, sampler, uid, rank, tastes, row)
    new = track_u < tastes.prefers_new[row]
    niche = (track_u * 7.0) % 1.0 < tastes.prefers_niche[row]
    # Within an artist, history leans to a few favourite tracks (the low end of the slice's weights).
    lo, hi = sampler.of_artist(artist)
    return sampler.draw(lo, hi, track_u**3, new, niche).astype(np.int32).reshape(n, WARMUP_PLAYS)


class _Picker:
    """State of one step-by-step pick run over a block of users sorted by play count."""

    def __init__(
        self,
        rng: CounterRNG,
        population: Population,
        longest: int,
        catalog: Catalog,
        tables: TasteTables,
        shift_at: np.ndarray,
    ) -> None:
        n_users = len(population)
        self.rng = rng
        self.catalog = catalog
        self.sampler = _Sampler(catalog, tables)
        self.uid = population.index
        self.habits = Habits.of(population)
        self.tastes = Tastes.of(population)
        self.wander_lean = _along(population.variety, WANDER_LEAN)
        self.shift_at = shift_at
        self.genre_sizes = np.bincount(catalog.artist_genre, minlength=len(catalog.genres)).astype(float)
        warmup = _warmup(rng, self.uid, np.arange(n_users), self.habits, self.tastes, self.sampler)
        # history: the last warm-up plays, then the picks (for recent replays and the result);
        # urn: every play that feeds habits (warm-up and all picks but wandering), urn_len used.
        self.history = np.zeros((n_users, RECENT_WINDOW + longest), dtype=np.int32)
        self.history[:, :RECENT_WINDOW] = warmup[:, -RECENT_WINDOW:]
        self.urn = np.zeros((n_users, WARMUP_PLAYS + longest), dtype=np.int32)
        self.urn[:, :WARMUP_PLAYS] = warmup
        self.urn_len = np.full(n_users, WARMUP_PLAYS, dtype=np.int64)
        self.kinds = np.zeros((n_users, longest), dtype=np.int8)
        self.seen = np.zeros((n_users, catalog.artist_name.size), dtype=bool)
        self.seen[np.arange(n_users)[:, None], catalog.artist[warmup]] = True
        self.heard = np.zeros((n_users, (len(catalog) + 7) // 8), dtype=np.uint8)  # one bit per track played
        self.walk_start = rng.uniform(Stream.LIBRARY_WALK, self.uid)
        self.walked = np.zeros(n_users, dtype=np.int64)  # library draws so far, per user

    def _walk(self, rows: np.ndarray) -> np.ndarray:
        """The next library rank of each user in rows (distinct users), one step further on its walk.

        Library draws (wandering, and known artists played out) take the library's power law at
        uniforms u = start + k * GOLDEN (mod 1), k counting the user's draws, instead of independent
        ones: this sequence spreads evenly, so each artist comes back at nearly regular intervals of
        about 1 / its share of the draws, like albums in a rotation. Drawn independently, an artist
        coming back about every two months would often miss one 60-day window and count as a new
        artist in the next (real listeners: 0.025 of streams); walked, it is in every window, and
        only the far tail of the library (returning less often) brings new names. Exploration, one
        over each artist's plays, gains too: returns are one or two per window, seldom bunched.
        """
        u = (self.walk_start[rows] + self.walked[rows] * GOLDEN) % 1.0
        self.walked[rows] += 1
        return _library_ranks(u, self.habits.library_slope[rows], self.habits.library_artists[rows])

    def _heard(self, track: np.ndarray) -> np.ndarray:
        rows = np.arange(track.size)
        return ((self.heard[rows, track >> 3] >> (track & 7)) & 1).astype(bool)

    def shift(self, rows: np.ndarray) -> None:
        """A taste shift for the users in rows: new favourite genres and library, habits mostly forgotten.

        The history habits feed on becomes a warm-up drawn from the new library, but for its oldest
        SHIFT_KEPT plays, the last ones before the shift: old favourites come back now and then
        (about (SHIFT_KEPT / WARMUP_PLAYS) ** 2 of habit picks at first), fading as new plays pile up.
        """
        tastes = self.tastes
        tastes.epoch[rows] += 1
        draws = self.rng.uniform(
            Stream.GENRES, self.uid[rows, None], tastes.epoch[rows, None] * EPOCH_STRIDE + np.arange(FAVOURITE_GENRES)
        )
        tastes.favourite[rows] = categorical(draws.ravel(), self.genre_sizes).reshape(rows.size, FAVOURITE_GENRES)
        warmup = _warmup(self.rng, self.uid, rows, self.habits, tastes, self.sampler)
        last = self.urn_len[rows, None] - SHIFT_KEPT + np.arange(SHIFT_KEPT)
        self.urn[rows, :SHIFT_KEPT] = self.urn[rows[:, None], last]
        self.urn[rows, SHIFT_KEPT:WARMUP_PLAYS] = warmup[:, SHIFT_KEPT:]
        self.urn_len[rows] = WARMUP_PLAYS
        self.seen[rows[:, None], self.catalog.artist[warmup]] = True

    def step(self, j: int, n: int) -> None:
        """Pick play number j for the first n users."""
        due = np.flatnonzero((self.shift_at[:n] == j).any(axis=1))
        if due.size:
            self.shift(due)
        rows = np.arange(n)
        uid = self.uid[:n]
        at = RECENT_WINDOW + j
        track_u, mode_u, new_u = self.rng.uniforms(Stream.PICK, uid, j, (32, 16, 16))
        which_u, niche_u = self.rng.uniforms(Stream.PICK_WHICH, uid, j, (32, 32))
        new = new_u < self.tastes.prefers_new[:n]
        niche = niche_u < self.tastes.prefers_niche[:n]
        kind = (mode_u[:, None] >= self.habits.edges[:n]).sum(axis=1)

        recent = self.history[rows, at - 1 - np.floor(which_u * RECENT_WINDOW).astype(np.int64)]
        # Habits lean to recent plays (density rising linearly along the history): tastes drift.
        past = self.urn[rows, np.floor(np.sqrt(which_u) * self.urn_len[:n]).astype(np.int64)]
        wandering = np.flatnonzero(kind == WANDERED)
        rank = self._walk(wandering)
        discovering = kind == DISCOVERED
        artist = self.catalog.artist[past]
        artist[wandering] = _library_artists(self.rng, self.sampler, uid[wandering], rank, self.tastes, wandering)
        lo, hi = self.sampler.of_artist(artist)
        g_lo, g_hi = self.sampler.in_genres(self.tastes.favourite[:n], which_u)
        lo, hi = np.where(discovering, g_lo, lo), np.where(discovering, g_hi, hi)
        track_u[wandering] **= self.wander_lean[wandering]
        fresh = self.sampler.draw(lo, hi, track_u, new, niche)
        for attempt in range(1, REDRAWS + 1):
            # A discovery must be a new artist, another track by a known artist one not yet played.
            unwanted = np.where(
                discovering, self.seen[rows, self.catalog.artist[fresh]], (kind == KNOWN_ARTIST) & self._heard(fresh)
            )
            again = np.flatnonzero(unwanted)
            if again.size == 0:
                break
            counter = j * (REDRAWS + 1) + attempt
            which_again = self.rng.uniform(Stream.REDRAW_WHICH, uid[again], counter)
            r_lo, r_hi = self.sampler.in_genres(self.tastes.favourite[again], which_again)
            known_artist = self.catalog.artist[
                self.urn[again, np.floor(which_again * self.urn_len[again]).astype(np.int64)]
            ]
            if attempt == REDRAWS:
                # Known artists played out: another artist from the library, as wandering finds them.
                out = again[~discovering[again]]
                known_artist[~discovering[again]] = _library_artists(
                    self.rng, self.sampler, uid[out], self._walk(out), self.tastes, out
                )
            a_lo, a_hi = self.sampler.of_artist(known_artist)
            d = discovering[again]
            fresh[again] = self.sampler.draw(
                np.where(d, r_lo, a_lo),
                np.where(d, r_hi, a_hi),
                self.rng.uniform(Stream.REDRAW_TRACK, uid[again], counter),
                new[again],
                niche[again],
            )

        track = np.select([kind == RECENT, kind == HABIT_PICK], [recent, past], fresh).astype(np.int32)
        self.history[:n, at] = track
        self.kinds[:n, j] = kind
        feeds = np.flatnonzero(kind != WANDERED)
        self.urn[feeds, self.urn_len[feeds]] = track[feeds]
        self.urn_len[feeds] += 1
        self.seen[rows, self.catalog.artist[track]] = True
        self.heard[rows, track >> 3] |= (1 << (track & 7)).astype(np.uint8)


def pick_tracks(
    rng: CounterRNG,
    population: Population,
    plays: np.ndarray,
    catalog: Catalog,
    tables: TasteTables,
    shift_at: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Track and pick kind for each user's plays, user after user in play order.

    Runs one vectorised step per play position across all users, with users sorted by play count
    so the still-active users are always a prefix. shift_at: (users, k) play numbers at which a
    user's taste shifts (-1: none), see simulate/shifts.py.
    """
    order = np.argsort(-plays, kind="stable")
    counts = plays[order]
    longest = int(counts[0]) if counts.size else 0
    shift_at = np.full((plays.size, 1), -1, dtype=np.int64) if shift_at is None else shift_at
    picker = _Picker(rng, population.take(order), longest, catalog, tables, shift_at[order])
    active = counts.size - np.searchsorted(counts[::-1], np.arange(longest), side="right")
    for j in range(longest):
        picker.step(j, int(active[j]))
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    valid = np.arange(longest)[None, :] < plays[:, None]
    return picker.history[inverse][:, RECENT_WINDOW:][valid], picker.kinds[inverse][valid]
