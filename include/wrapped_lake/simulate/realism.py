"""How human the simulated listeners are: per-listener figures beside real listeners' figures.

The real figures come from 25 public account-data histories (last 60 days of each; 24 with 200+
plays; the sample leans towards heavy listeners), and from a second look at 28 histories for
one-play sessions, same-day repeats, new artists and quiet hours. Each simulated figure is computed
the same way, per listener over the last WINDOW_DAYS days of the simulated span, for listeners
with at least MIN_PLAYS plays there; earlier days are the history that "new artist" is judged by.
In a moving population (simulate --moving) only listeners there over the whole history and window
are judged, as the real accounts were: one who joined late has a short history, so nearly every
artist is "new" to them, and one who joined or left inside the window has days away.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wrapped_lake.analytics import codes, personality
from wrapped_lake.simulate.events import PLAY, SKIP
from wrapped_lake.simulate.markets import REAL_HOURLY_ROTATED, UTC_OFFSET_MINUTES
from wrapped_lake.simulate.run import Feed, generate
from wrapped_lake.simulate.timeline import MS_PER_DAY, MS_PER_HOUR

WINDOW_DAYS = 60
MIN_PLAYS = 200
STREAM_MS = 30_000
SESSION_GAP_MS = 30 * 60_000
QUIET_HOURS = 6
ENOUGH_STREAMS = 200  # the Wrapped issue's bar for recovering a simulated personality

# figure: (real median, lower quartile, upper quartile, what it is)
REAL: dict[str, tuple[float, float, float, str]] = {
    "active_days": (0.92, 0.87, 1.00, "share of days with a play"),
    "plays_per_day": (53, 39, 81, "plays per active day"),
    "minutes_per_day": (127, 84, 229, "minutes per active day"),
    "under_30s": (0.28, 0.20, 0.41, "share of plays under 30 s"),
    "top_artist": (0.10, 0.06, 0.16, "top artist's share of streams"),
    "top10_artists": (0.42, 0.29, 0.50, "top 10 artists' share of streams"),
    "artists_per_100": (15, 12, 22, "distinct artists per 100 streams"),
    "variety": (0.38, 0.32, 0.50, "variety (distinct tracks / streams)"),
    "exploration": (0.09, 0.06, 0.13, "exploration (brief's formula)"),
    "plays_per_session": (18, 12, 23, "plays per session (30 min gap)"),
    "sessions_per_day": (2.7, 2.2, 4.4, "sessions per active day"),
    "weekend_ratio": (0.77, 0.64, 0.98, "weekend / weekday plays per day"),
    "one_play_sessions": (0.20, 0.13, 0.28, "one-play sessions"),
    "same_day_repeats": (0.11, 0.05, 0.18, "same track again the same day"),
    "new_artists": (0.025, 0.006, 0.041, "streams of never-streamed artists"),
    "quiet_hours": (0.014, 0.007, 0.053, "plays in the quietest 6 hours"),
}
REAL_SKIP_SPREAD = (0.05, 0.67)  # skip share, 10th and 90th percentile of real listeners
# No two clusters: real maxima are exploration 0.32 and variety 0.84 with medians far below.
AT_MOST_ABOVE = {"exploration": (0.25, 0.15), "variety": (0.65, 0.15)}
HOUR_CORRELATION = 0.9


def plays_frame(feed: Feed) -> pd.DataFrame:
    """One row per play (PLAY or SKIP event) with the columns the figures need."""
    events, catalog, population = feed.events, feed.catalog, feed.population
    rows = np.flatnonzero((events.activity == PLAY) | (events.activity == SKIP))
    user = events.user[rows]
    track = events.track[rows]
    return pd.DataFrame(
        {
            "user": user,
            "start": events.start[rows],
            "end": events.end[rows],
            "local_offset": UTC_OFFSET_MINUTES[population.country[user]] * 60_000,
            "played_ms": events.played_ms[rows],
            "skipped": events.activity[rows] == SKIP,
            "artist": catalog.artist[track],
            "track_id": track,
            "release_year": catalog.release_year[track],
            "popularity": catalog.popularity[track],
            "code": np.array(codes.CODES)[population.personality[user]],
        }
    )


def _share_per_user(mask: pd.Series, user: pd.Series) -> pd.Series:
    return mask.groupby(user).mean()


def listener_figures(plays: pd.DataFrame, window_start: int, window_end: int) -> pd.DataFrame:
    """Per-listener figures over plays ending in [window_start, window_end) (UTC ms)."""
    plays = plays.sort_values(["user", "start"], kind="stable")
    has_history = int(plays["start"].min()) <= window_start - (WINDOW_DAYS - 1) * MS_PER_DAY
    streams_all = plays[plays["played_ms"] >= STREAM_MS]
    first_stream = streams_all.groupby(["user", "artist"])["end"].transform("min")
    new_artist_stream = (streams_all["end"] == first_stream)[streams_all["end"] >= window_start]

    plays = plays[(plays["end"] >= window_start) & (plays["end"] < window_end)]
    counts = plays.groupby("user").size()
    plays = plays[plays["user"].isin(counts.index[counts >= MIN_PLAYS])]
    user = plays["user"]
    local = plays["start"] + plays["local_offset"]
    date = local // MS_PER_DAY
    days = (window_end - window_start) // MS_PER_DAY
    out = pd.DataFrame(index=counts.index[counts >= MIN_PLAYS])
    active = date.groupby(user).nunique()
    out["active_days"] = active / days
    out["plays_per_day"] = counts / active
    out["minutes_per_day"] = plays["played_ms"].groupby(user).sum() / 60_000 / active
    out["under_30s"] = _share_per_user(plays["played_ms"] < STREAM_MS, user)
    out["skip_share"] = _share_per_user(plays["skipped"], user)

    streams = plays[plays["played_ms"] >= STREAM_MS]
    per_artist = streams.groupby(["user", "artist"]).size()
    n = per_artist.groupby(level="user").sum()
    ranked = per_artist.sort_values(ascending=False).groupby(level="user")
    out["top_artist"] = ranked.head(1).groupby(level="user").sum() / n
    out["top10_artists"] = ranked.head(10).groupby(level="user").sum() / n
    out["artists_per_100"] = per_artist.groupby(level="user").size() / n * 100
    out["variety"] = streams.groupby("user")["track_id"].nunique() / n
    out["exploration"] = (1.0 / per_artist).groupby(level="user").sum() / n

    new_session = (user.diff() != 0) | (plays["start"] - plays["end"].shift() > SESSION_GAP_MS)
    session = new_session.cumsum()
    sizes = plays.groupby(session).size()
    session_user = user.groupby(session).first()
    out["plays_per_session"] = sizes.groupby(session_user).mean()
    out["sessions_per_day"] = sizes.groupby(session_user).size() / active
    out["one_play_sessions"] = (sizes == 1).groupby(session_user).mean()

    weekday = (date + 3) % 7  # 1970-01-01 was a Thursday: 0 = Monday
    all_days = np.arange(window_start // MS_PER_DAY, window_end // MS_PER_DAY)
    weekend_days = int(((all_days + 3) % 7 >= 5).sum())
    weekend = weekday >= 5
    out["weekend_ratio"] = (weekend.groupby(user).sum() / weekend_days) / (
        (~weekend).groupby(user).sum() / (all_days.size - weekend_days)
    )

    hour = ((local // MS_PER_HOUR) % 24).astype(np.int64)
    profile = pd.crosstab(user, hour).reindex(columns=range(24), fill_value=0).to_numpy(dtype=float, copy=True)
    profile /= profile.sum(axis=1, keepdims=True)
    windows = sum(np.roll(profile, -k, axis=1) for k in range(QUIET_HOURS))
    quiet = windows.argmin(axis=1)
    out["quiet_hours"] = windows.min(axis=1)
    rotated = profile[np.arange(profile.shape[0])[:, None], (quiet[:, None] + np.arange(24)) % 24]
    out.attrs["hour_profile"] = rotated.mean(axis=0) * 100

    # Days cut at each listener's quiet time, so a late night counts with the evening before.
    quiet_of = pd.Series(quiet, index=out.index)
    s_local = streams["start"] + streams["local_offset"] - streams["user"].map(quiet_of) * MS_PER_HOUR
    again = streams.assign(day=s_local // MS_PER_DAY).duplicated(["user", "day", "track_id"])
    out["same_day_repeats"] = again.groupby(streams["user"]).mean()
    out["new_artists"] = new_artist_stream.groupby(streams_all["user"]).mean().reindex(out.index)
    if not has_history:
        out["new_artists"] = np.nan  # too little history before the window to judge "new" by
    return out


def there_throughout(feed: Feed, first_ms: int, end_ms: int) -> np.ndarray:
    """Population rows of the users who may listen on every day of [first_ms, end_ms) (UTC ms).

    Join and leave days are local days, a day either side of the UTC ones at most (the widest offsets).
    """
    first_day, last_day = first_ms // MS_PER_DAY - 1, (end_ms - 1) // MS_PER_DAY + 1
    population = feed.population
    return np.flatnonzero((population.join_day <= first_day) & (population.leave_day >= last_day))


@dataclass(frozen=True)
class Check:
    """One figure of the population beside its real counterpart."""

    name: str
    label: str
    simulated: tuple[float, float, float]
    real: tuple[float, float, float]

    @property
    def inside(self) -> bool:
        return self.real[1] <= self.simulated[0] <= self.real[2]


def checks(figures: pd.DataFrame) -> list[Check]:
    """Median and quartiles of every figure that could be computed, beside the real ones."""
    result = []
    for name, (median, lo, hi, label) in REAL.items():
        values = figures[name].dropna()
        if values.empty:
            continue
        q = values.quantile([0.5, 0.25, 0.75]).to_numpy()
        result.append(Check(name, label, (q[0], q[1], q[2]), (median, lo, hi)))
    return result


def hour_correlation(figures: pd.DataFrame) -> float:
    return float(np.corrcoef(figures.attrs["hour_profile"], REAL_HOURLY_ROTATED)[0, 1])


def recovery(plays: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per listener with ENOUGH_STREAMS streams: assigned code, scored code (personality.py), scores."""
    streams = plays[plays["played_ms"] >= STREAM_MS]
    rows = []
    for user, mine in streams.groupby("user"):
        if len(mine) >= ENOUGH_STREAMS:
            scores = personality.scores_for(mine, year)
            rows.append({"user": user, "true": mine["code"].iloc[0], "code": personality.code_for(scores)})
            rows[-1].update(scores.as_dict())
    return pd.DataFrame(rows)


def misses_by_axis(recovered: pd.DataFrame) -> dict[str, int]:
    """How many listeners got each axis wrong, e.g. {'F/E': 3, ...}."""
    axes = ("F/E", "T/N", "L/V", "C/U")
    return {axis: int((recovered["true"].str[i] != recovered["code"].str[i]).sum()) for i, axis in enumerate(axes)}


def report(
    users: int,
    days: int,
    start: dt.date,
    seed: int,
    *,
    personality: str | None = None,
    taste_shifts: float = 0.0,
    moving: bool = False,
) -> str:
    """The realism report as text: figures over the last WINDOW_DAYS days, and code recovery."""
    feed = generate(users, days, start, seed, personality=personality, taste_shifts=taste_shifts, moving=moving)
    plays = plays_frame(feed)
    first = int(dt.datetime.combine(start, dt.time(), dt.UTC).timestamp() * 1000)
    end = first + days * MS_PER_DAY
    window = min(days, WINDOW_DAYS) * MS_PER_DAY
    there = there_throughout(feed, max(first, end - window - WINDOW_DAYS * MS_PER_DAY), end)
    plays = plays[plays["user"].isin(there)]
    figures = listener_figures(plays, int(end) - window, int(end))
    # Only a moving population has anyone away; a steady one's report reads as it always has.
    away = f" ({len(feed.population) - there.size} who joined or left in the span left out)" if moving else ""
    lines = [
        f"{len(figures)} of {users} simulated listeners{away} with {MIN_PLAYS}+ plays in the last "
        f"{window // MS_PER_DAY} of {days} days (seed {seed}); median [interquartile range]",
        f"{'figure':<38} {'simulated':>22} {'real':>22}",
    ]
    for c in checks(figures):
        sim, real = c.simulated, c.real
        mark = "ok" if c.inside else "OUT"
        lines.append(
            f"{c.label:<38} {sim[0]:>7.3g} [{sim[1]:.3g}-{sim[2]:.3g}]".ljust(62)
            + f" {real[0]:>7.3g} [{real[1]:.3g}-{real[2]:.3g}]  {mark}"
        )
    skip = figures["skip_share"].quantile([0.1, 0.9]).to_numpy()
    lines.append(
        f"{'skip share, 10th-90th percentile':<38} {skip[0]:.2f}-{skip[1]:.2f}".ljust(62)
        + f" {REAL_SKIP_SPREAD[0]:.2f}-{REAL_SKIP_SPREAD[1]:.2f}"
    )
    for name, (limit, share) in AT_MOST_ABOVE.items():
        above = float((figures[name] > limit).mean())
        lines.append(f"{f'listeners with {name} above {limit}':<38} {above:.2f} (at most {share})")
    lines.append(f"{'hour profile: correlation with real':<38} {hour_correlation(figures):.3f} (at least 0.9)")
    lines.append("hour profile (% of plays, quietest 6 hours first):")
    lines.append("  simulated " + " ".join(f"{v:.1f}" for v in figures.attrs["hour_profile"]))
    lines.append("  real      " + " ".join(f"{v:.1f}" for v in REAL_HOURLY_ROTATED))
    recovered = recovery(plays[plays["end"] >= int(end) - window], start.year)
    if len(recovered):
        share = float((recovered["code"] == recovered["true"]).mean())
        misses = ", ".join(f"{axis} {n}" for axis, n in misses_by_axis(recovered).items())
        lines.append(
            f"personality recovered for {share:.1%} of {len(recovered)} listeners with {ENOUGH_STREAMS}+ streams "
            f"in the window (wrong axis: {misses})"
        )
    return "\n".join(lines)
