"""The phase finder (insights.phases) scored on simulated listeners whose taste shifts on known dates.

Phases are scored straight from the simulator's plays in memory, not from the lake: the weekly
rows are the ones marts.weekly_artist_shares gives (streams of 30 s or more, by artist and Monday
week of the local date), so the phase function sees what the product gives it, without an ingest
and a build of a year of plays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wrapped_lake.reports.insights import MIN_PHASE_WEEKS, phases
from wrapped_lake.simulate.realism import STREAM_MS, plays_frame
from wrapped_lake.simulate.run import Feed
from wrapped_lake.simulate.timeline import MS_PER_DAY

FOUND_WITHIN_DAYS = 14  # a shift counts as found when a phase starts this close to it
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Score:
    """How the phase finder did on one population: shifts found, steady users given a change."""

    shifts: int
    found: int
    steady: int
    false_steady: int  # steady users given at least one change
    extra: int  # changes given to shifted users far from any of their shifts
    streams_per_week: float  # median over users

    @property
    def found_share(self) -> float:
        return self.found / self.shifts if self.shifts else float("nan")

    @property
    def false_share(self) -> float:
        return self.false_steady / self.steady if self.steady else float("nan")


def weekly_streams(feed: Feed, keep: float = 1.0, seed: int = 0) -> pd.DataFrame:
    """Streams per user id, Monday week (ISO date) and artist name; `keep` < 1 keeps that share of
    the streams at random, a lighter listener of the same taste."""
    plays = plays_frame(feed)
    plays = plays[plays["played_ms"] >= STREAM_MS]
    if keep < 1:
        plays = plays[np.random.default_rng(seed).random(len(plays)) < keep]
    day = (plays["start"] + plays["local_offset"]) // MS_PER_DAY
    monday = day - (day + 3) % 7  # day 0, 1970-01-01, was a Thursday
    frame = pd.DataFrame(
        {
            "user_id": feed.population.user_id[plays["user"]],
            "week": [(_EPOCH + dt.timedelta(days=int(d))).isoformat() for d in monday],
            "artist": feed.catalog.artist_name[plays["artist"]],
        }
    )
    return frame.groupby(["user_id", "week", "artist"]).size().rename("streams").reset_index()


def changes(weekly: pd.DataFrame, date_from: dt.date, date_to: dt.date) -> dict[str, list[dt.date]]:
    """The first day of every phase after the first, per user id, as insights.phases finds them."""
    found = {}
    for user, rows in weekly.groupby("user_id"):
        listed = rows[["week", "artist", "streams"]].to_numpy().tolist()
        found[user] = [phase.start for phase in phases(listed, date_from, date_to)[1:]]
    return found


def score(
    weekly: pd.DataFrame, truth: list[tuple[str, str, tuple[dt.date, ...]]], date_from: dt.date, date_to: dt.date
) -> Score:
    """Found shifts and false changes of the users in `weekly` against shifts.truth(), over the weeks
    from date_from to date_to. Users with a shift outside those dates (or too close to their ends for
    a phase of MIN_PHASE_WEEKS either side) are left out: before date_from, a simulation's burn-in."""
    planted = {user: dates for user, _, dates in truth}
    margin = dt.timedelta(weeks=MIN_PHASE_WEEKS)
    inside = weekly[weekly["week"].between(date_from.isoformat(), date_to.isoformat())]
    found = changes(inside, date_from, date_to)
    near = dt.timedelta(days=FOUND_WITHIN_DAYS)
    shifts = hits = steady = false_steady = extra = 0
    for user, starts in found.items():
        dates = planted.get(user, ())
        if any(not date_from + margin <= d <= date_to - margin for d in dates):
            continue
        shifts += len(dates)
        hits += sum(any(abs(s - d) <= near for s in starts) for d in dates)
        extra += sum(not any(abs(s - d) <= near for d in dates) for s in starts) if dates else 0
        steady += not dates
        false_steady += not dates and bool(starts)
    weeks = inside.groupby("user_id")["streams"].sum() / ((date_to - date_from).days + 1) * 7
    return Score(shifts, hits, steady, false_steady, extra, float(weeks.median()))
