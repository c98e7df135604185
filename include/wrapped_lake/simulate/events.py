"""From picked tracks to the event stream: skips, pauses, interactions, gaps and LEAVE_APP.

Rules (the schema's record doc states them for consumers): a PLAY or SKIP event is one play,
emitted when it ends (eventTime = endTime) with playedMs listened; a play may carry at most one
interaction (LIKE, ADD_TO_PLAYLIST, FOLLOW, or a PAUSE that delays its end); a session ends with
LEAVE_APP shortly after its last play. Plays that would end after the window are dropped whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wrapped_lake.simulate.catalog import Catalog
from wrapped_lake.simulate.population import Population
from wrapped_lake.simulate.rng import CounterRNG, Stream
from wrapped_lake.simulate.taste import DISCOVERED, HABIT_PICK, KNOWN_ARTIST, RECENT, WANDERED
from wrapped_lake.simulate.timeline import Sessions, grouped_exclusive_cumsum, settle_starts

# Indices of the schema's ActivityType symbols.
PLAY, PAUSE, SKIP, LIKE, FOLLOW, ADD_TO_PLAYLIST, LEAVE_APP = range(7)
ACTIVITY_TYPES = ("PLAY", "PAUSE", "SKIP", "LIKE", "FOLLOW", "ADD_TO_PLAYLIST", "LEAVE_APP")

# Familiar picks are skipped less than discoveries.
SKIP_FACTOR = {RECENT: 0.7, HABIT_PICK: 0.9, KNOWN_ARTIST: 1.1, WANDERED: 1.2, DISCOVERED: 1.4}
SKIP_MEDIAN_MS = 9_000  # most skips come in the first seconds, with a long tail
MIN_LISTEN_MS = 1_000
# Chance of each interaction during a play heard to the end (cumulative order: like, add, follow, pause).
PLAYED_INTERACTIONS = ((LIKE, 0.035), (ADD_TO_PLAYLIST, 0.015), (FOLLOW, 0.005), (PAUSE, 0.04))
SKIPPED_PAUSE = 0.01
PAUSE_MEDIAN_MS = 20_000
GAP_MEAN_MS = 700  # loading between tracks
AD_BREAK_MS = 30_000
AD_BREAK_SHARE = 0.25  # of gaps on the free tier
LEAVE_MEAN_MS = 4_000
FREE_TIER = 0


@dataclass(frozen=True)
class Events:
    """All events of a set of users, sorted by user then time (strictly increasing per user)."""

    user: np.ndarray  # int64 row in the population
    session: np.ndarray  # int64 row in the sessions
    time: np.ndarray  # int64 UTC ms
    start: np.ndarray  # int64 UTC ms
    end: np.ndarray  # int64 UTC ms
    activity: np.ndarray  # int8 index into ACTIVITY_TYPES
    track: np.ndarray  # int32 catalog row
    played_ms: np.ndarray  # int64, -1 for interactions
    number: np.ndarray  # int64 event number within its session

    def __len__(self) -> int:
        return int(self.user.size)


def build_events(
    rng: CounterRNG,
    population: Population,
    sessions: Sessions,
    tracks: np.ndarray,
    kinds: np.ndarray,
    catalog: Catalog,
    window_end: int,
) -> Events:
    """Lay each session's plays end to end, then emit play, interaction and leave events."""
    session = np.repeat(np.arange(len(sessions)), sessions.plays)
    user = sessions.user[session]
    uid = population.index[user]
    user_first = np.r_[True, user[1:] != user[:-1]] if user.size else np.zeros(0, bool)
    j = np.arange(user.size) - np.maximum.accumulate(np.where(user_first, np.arange(user.size), 0))

    duration = catalog.duration_ms[tracks].astype(np.int64)
    skip_p = population.skip_rate[user] * np.select([kinds == k for k in SKIP_FACTOR], list(SKIP_FACTOR.values()))
    skipped = rng.uniform(Stream.PLAY_SKIP, uid, j) < skip_p
    skip_at = MIN_LISTEN_MS + SKIP_MEDIAN_MS * np.exp(rng.normal(Stream.PLAY_SKIP_AT, uid, j))
    played = np.where(skipped, np.clip(skip_at.astype(np.int64), MIN_LISTEN_MS, duration - MIN_LISTEN_MS), duration)

    v = rng.uniform(Stream.PLAY_INTERACTION, uid, j)
    interaction = np.full(user.size, -1, dtype=np.int64)
    edge = 0.0
    for kind, chance in PLAYED_INTERACTIONS:
        interaction = np.where(~skipped & (v >= edge) & (v < edge + chance), kind, interaction)
        edge += chance
    interaction = np.where(skipped & (v < SKIPPED_PAUSE), PAUSE, interaction)
    pause_ms = np.where(
        interaction == PAUSE,
        np.clip(PAUSE_MEDIAN_MS * np.exp(rng.normal(Stream.PLAY_PAUSE_MS, uid, j)), 1_000, 1_200_000).astype(np.int64),
        0,
    )
    interaction_at = 1 + np.floor(rng.uniform(Stream.PLAY_INTERACTION_AT, uid, j) * (played - 1)).astype(np.int64)

    ads = (population.tier[user] == FREE_TIER) & (rng.uniform(Stream.PLAY_AD, uid, j) < AD_BREAK_SHARE)
    gap = np.floor(-GAP_MEAN_MS * np.log(rng.uniform(Stream.PLAY_GAP, uid, j))).astype(np.int64) + ads * AD_BREAK_MS
    wall = played + pause_ms
    session_first = np.r_[True, session[1:] != session[:-1]] if session.size else np.zeros(0, bool)
    offset = grouped_exclusive_cumsum(wall + gap, session_first)

    last = np.cumsum(sessions.plays) - 1
    leave_gap = 1 + np.floor(
        -LEAVE_MEAN_MS * np.log(rng.uniform(Stream.LEAVE_GAP, population.index[sessions.user], sessions.key))
    ).astype(np.int64)
    length = offset[last] + wall[last] + leave_gap
    session_start = settle_starts(sessions.user, sessions.start, length)

    start = session_start[session] + offset
    end = start + wall
    kept = end < window_end
    leave_time = end[last] + leave_gap
    leaves = np.flatnonzero(kept[last] & (leave_time < window_end))
    with_interaction = np.flatnonzero(kept & (interaction >= 0))
    plays = np.flatnonzero(kept)
    moment = start[with_interaction] + interaction_at[with_interaction]

    parts = (
        (plays, end[plays], start[plays], end[plays], np.where(skipped[plays], SKIP, PLAY), played[plays]),
        (
            with_interaction,
            moment,
            moment,
            moment + pause_ms[with_interaction],
            interaction[with_interaction],
            np.full(with_interaction.size, -1),
        ),
        (
            last[leaves],
            leave_time[leaves],
            leave_time[leaves],
            leave_time[leaves],
            np.full(leaves.size, LEAVE_APP),
            np.full(leaves.size, -1),
        ),
    )
    play_row = np.concatenate([p[0] for p in parts])
    time = np.concatenate([p[1] for p in parts])
    order = np.lexsort((time, user[play_row]))
    play_row = play_row[order]
    ev_session = session[play_row]
    first_in_session = np.r_[True, ev_session[1:] != ev_session[:-1]] if ev_session.size else np.zeros(0, bool)
    number = np.arange(ev_session.size) - np.maximum.accumulate(
        np.where(first_in_session, np.arange(ev_session.size), 0)
    )

    return Events(
        user=user[play_row],
        session=ev_session,
        time=time[order],
        start=np.concatenate([p[2] for p in parts])[order],
        end=np.concatenate([p[3] for p in parts])[order],
        activity=np.concatenate([p[4] for p in parts]).astype(np.int8)[order],
        track=tracks[play_row].astype(np.int32),
        played_ms=np.concatenate([p[5] for p in parts]).astype(np.int64)[order],
        number=number,
    )
