"""A listener-year's insights (record.Insights) read from the insight models
(sql/models/marts/insights/), and its phases: where the weekly mix of artists changes.

Every figure counts the local dates of the calendar year (or all time) whatever the Wrapped's
window; phases, top discoveries and the year in music's extras are yearly, null for all time. The
daily figures read the tables the marts build keeps (marts.listener_days, listener_day_artists)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from itertools import pairwise

import numpy as np
import psycopg

from wrapped_lake.platform.db import query
from wrapped_lake.reports.record import (
    ArtistMonths,
    GenreHours,
    Insights,
    InsightTrack,
    Obsession,
    Phase,
    ReleaseYear,
    Trend,
    UnusualDay,
    WeekMinutes,
)
from wrapped_lake.reports.windows import window

MAX_PHASES = 3  # Spotify's 2024 "music evolution" shows up to three
MIN_PHASE_WEEKS = 4
PHASE_TOP_ARTISTS = 3
# The weekly mix is measured on the year's top artists; the rest of a week's streams is one
# "other" share (a phase of three artists puts them among the year's top 40). 40, not 25: a
# listener of many artists (most real ones: top 10 artists 0.31 of a year's streams) keeps most
# of a phase's streams out of the top 25, and a short last phase hides in "other". Measured on
# simulated listeners with planted taste shifts (160 users over a year, 80 of them shifting, scored
# after 5 weeks of burn-in): shifts found within 2 weeks 0.79 with 25 artists, 0.93 with 40 (0.92
# with 50, 0.89 with 75) at 210 streams a week, 0.79 and 0.83 at 53 a week, 0.39 and 0.32 at 13;
# steady users given a change 0 of 80 with 25 and 40. bench/bench_phases.py (shifts from day 63):
# found 0.90, 0.82, 0.33 at 208, 53, 13 streams a week; steady users given a change 0.04, 0.04, 0.
MIX_ARTISTS = 40
# A change is kept when it lowers the squared error of the weekly shares by more than
# PENALTY x noise x ln(weeks), noise being half the median squared change from one week to the next
# (a change point moves few of those; on pure noise the best split gains about the noise times
# ln(weeks)). NOISE_FLOOR stands in for the noise of listeners who play the same mix week after
# week, to the stream. Measured on simulated years (100 listeners each at 5, 15, 40 and 120 streams
# a week, drawn from 30 artists): no steady listener given a change; three planted phases found
# within 2 weeks for every listener from 15 streams a week, for 13% at 5 a week.
PENALTY = 3.0
NOISE_FLOOR = 0.005
# Neighbouring phases differ by at least this much of the listening (total variation distance of
# their mean shares): a quarter of the streams gone to other artists.
MIN_SHIFT = 0.25


def insights_of(conn: psycopg.Connection, listener: str, year: int | None, min_coverage: float) -> Insights:
    """The insights of `listener` for `year` (None: all time); the catalog's figures (release years,
    genres by hour) are null when a catalog knows under `min_coverage` of the year's streams (the
    Wrapped's rule for its genres)."""
    bounds = window("calendar", year)
    figures = conn.execute(query("reports/wrapped/insights"), bounds.params(listener)).fetchone()
    (has_music, weekly_artists, obsessions, days_usable, unusual, weekly, change_pct, discoveries, has_past,
     forgotten, coverage, release_years, genre_hours, artist_months, daily_minutes) = figures  # fmt: skip
    yearly = year is not None and has_music
    catalog = yearly and coverage is not None and coverage >= min_coverage
    trend = None
    if weekly:
        weeks = tuple(WeekMinutes(date.fromisoformat(week), minutes) for week, minutes in weekly)
        trend = Trend(weeks, None if change_pct is None else float(change_pct))
    return Insights(
        phases=phases(weekly_artists, bounds.date_from, bounds.date_to) if weekly_artists else None,
        obsessions=tuple(_obsession(*row) for row in obsessions) if has_music else None,
        unusual_days=tuple(UnusualDay(date.fromisoformat(d), m, a) for d, m, a in unusual) if days_usable else None,
        trend=trend,
        top_discoveries=_tracks(discoveries) if year is not None and has_music else None,
        forgotten_favourites=_tracks(forgotten) if has_past else None,
        release_years=tuple(ReleaseYear(y, n) for y, n in release_years) if catalog and release_years else None,
        genre_hours=_genre_hours(genre_hours) if catalog and genre_hours else None,
        top_artist_months=_artist_months(artist_months) if yearly else None,
        daily_minutes=tuple(float(m) for m in daily_minutes) if yearly else None,
    )


def _genre_hours(rows: list[list]) -> tuple[GenreHours, ...]:
    """[rank, genre, hour, streams] rows (hours with streams only) as 24 numbers a genre, by rank."""
    by_rank: dict[int, tuple[str, list[int]]] = {}
    for rank, genre, hour, streams in rows:
        by_rank.setdefault(rank, (genre, [0] * 24))[1][hour] = streams
    return tuple(GenreHours(genre, tuple(hours)) for _, (genre, hours) in sorted(by_rank.items()))


def _artist_months(rows: list[list]) -> tuple[ArtistMonths, ...]:
    """[rank, artist, month, streams] rows (months with streams only) as 12 numbers an artist, by rank."""
    by_rank: dict[int, tuple[str, list[int]]] = {}
    for rank, artist, month, streams in rows:
        by_rank.setdefault(rank, (artist, [0] * 12))[1][month - 1] = streams
    return tuple(ArtistMonths(artist, tuple(months)) for _, (artist, months) in sorted(by_rank.items()))


def _obsession(artist: str, weeks: list[str], share: float) -> Obsession:
    return Obsession(artist, tuple(date.fromisoformat(week) for week in weeks), share)


def _tracks(rows: list[list]) -> tuple[InsightTrack, ...]:
    return tuple(InsightTrack(name, artist, uri, streams) for name, artist, uri, streams in rows)


def phases(weekly_artists: list[list], date_from: date, date_to: date) -> tuple[Phase, ...]:
    """Up to 3 phases from [week, artist, streams] rows (weeks with streams only), each at least 4
    of those weeks, named by their top 3 artists; one phase when the mix holds steady."""
    weeks, week_rows = np.unique([week for week, _, _ in weekly_artists], return_inverse=True)
    artists, artist_columns = np.unique([artist for _, artist, _ in weekly_artists], return_inverse=True)
    counts = np.zeros((len(weeks), len(artists)))
    np.add.at(counts, (week_rows, artist_columns), [streams for _, _, streams in weekly_artists])
    mix = _ranked(counts.sum(axis=0))[:MIX_ARTISTS]
    shares = np.column_stack([counts[:, mix], counts.sum(axis=1) - counts[:, mix].sum(axis=1)])
    bounds = [0, *change_points(shares / shares.sum(axis=1, keepdims=True)), len(weeks)]
    found = []
    for first, after in pairwise(bounds):
        streams = counts[first:after].sum(axis=0)
        top = [str(artists[i]) for i in _ranked(streams)[:PHASE_TOP_ARTISTS] if streams[i]]
        start, last = date.fromisoformat(weeks[first]), date.fromisoformat(weeks[after - 1])
        end = date.fromisoformat(weeks[after]) - timedelta(days=1) if after < len(weeks) else last + timedelta(days=6)
        found.append(Phase(max(start, date_from), min(end, date_to), tuple(top)))
    return tuple(found)


def _ranked(streams: np.ndarray) -> np.ndarray:
    """Artist columns by streams, most first, then by name (the columns are in name order)."""
    return np.argsort(-streams, kind="stable")


def change_points(shares: np.ndarray) -> list[int]:
    """The rows (weeks) that start a new phase of a weeks x artists array of stream shares: at most
    2, each phase at least MIN_PHASE_WEEKS rows, by a penalised least-squares segmentation."""
    weeks = len(shares)
    if weeks < 2 * MIN_PHASE_WEEKS:
        return []
    noise = max(float(np.median(np.sum(np.diff(shares, axis=0) ** 2, axis=1))) / 2, NOISE_FLOOR)
    penalty = PENALTY * noise * np.log(weeks)
    # Dynp: the exact best segmentation for each number of changes (a year is at most 53 weeks).
    search = _ruptures().Dynp(custom_cost=_squared_error_cost()(), min_size=MIN_PHASE_WEEKS, jump=1).fit(shares)
    best, best_cost = [], search.cost.sum_of_costs([weeks])
    for changes in range(1, MAX_PHASES):
        if weeks < (changes + 1) * MIN_PHASE_WEEKS:
            break
        ends = search.predict(n_bkps=changes)
        cost = search.cost.sum_of_costs(ends) + penalty * changes
        if cost < best_cost and _distinct(shares, [0, *ends]):
            best, best_cost = ends[:-1], cost
    return best


@cache
def _ruptures():
    """The change-point library, imported on first use: its import pulls in scipy (1.5 s or more),
    which no other figure needs."""
    import ruptures

    return ruptures


@cache
def _squared_error_cost() -> type:
    """ruptures' own least-squares cost ("l2") from prefix sums: the same change points, but each
    segment's cost in O(artists) instead of a variance over its weeks (a year's search took 50 ms
    with "l2", 13 ms with this, measured on 52 weeks of 26 shares)."""

    class SquaredError(_ruptures().base.BaseCost):
        model = "squared_error"
        min_size = 1

        def fit(self, signal: np.ndarray) -> SquaredError:
            self.signal = np.asarray(signal, dtype=float)
            self.sums = np.vstack([np.zeros(self.signal.shape[1]), np.cumsum(self.signal, axis=0)])
            self.squares = np.concatenate([[0.0], np.cumsum((self.signal**2).sum(axis=1))])
            return self

        def error(self, start: int, end: int) -> float:
            total = self.sums[end] - self.sums[start]
            return float(self.squares[end] - self.squares[start] - total @ total / (end - start))

    return SquaredError


def _distinct(shares: np.ndarray, bounds: list[int]) -> bool:
    """Every two neighbouring phases differ by at least MIN_SHIFT of the listening."""
    means = [shares[a:b].mean(axis=0) for a, b in pairwise(bounds)]
    return all(0.5 * np.abs(x - y).sum() >= MIN_SHIFT for x, y in pairwise(means))
