"""Accounts that stream for money, and the heavy listeners a detector must not mistake for them.

`simulate(..., bots=FRACTION)` adds, after the `users` ordinary listeners, round(FRACTION * users)
fraudulent accounts (at least one when FRACTION > 0) and as many super-fans and as many sleepers.
They are ordinary users of the same schema: nothing in the feed says what they are; truth() gives
(user id, kind) for the side file. Kinds, each a documented behaviour:

- looper: 3-8 tracks of one or two artists played to the end in a fixed order, round the clock,
  with the same pause (0.3-1.5 s, +-30 ms) between plays.
- farm (thirty-second farm): the tracks of 2-4 artists, each played 31-36 s, a near-constant pause;
  two in three run round the clock, the rest rest 6 hours a day at a fixed UTC hour.
- rotator: 2-4 devices playing 20-40 tracks of 2-3 artists at once, 16-20 hours a day each, with
  exponential pauses; each device-day appears in one of 6 countries drawn for the account.
- ring: accounts in rings of RING_SIZE (the remainder joins the last ring) sharing one catalogue
  of 10-20 tracks of 1-2 artists (90% of their plays, the rest any track), one 12-18 hour session
  a day, irregular pauses.
- superfan (hard negative): one artist with 15+ tracks, 85% of plays; 2-3 sessions a day, 3-6 hours
  in all, in waking hours; skips and pauses like ordinary listeners; a day off in twenty.
- sleeper (hard negative): an ambient or classical playlist of 40-80 tracks shuffled all night (6-9
  hours from 22:30-00:30 local, near-gapless), plus 0-2 daytime sessions (under 1.5 hours) of any tracks.

Unlike ordinary listeners (whose plays never overlap), a rotator's plays overlap: that is a signal.
Each account draws from its own numpy generator seeded by (seed, account index), so an account's
events do not depend on the sharding, and a run without bots is byte-identical to before.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, fields, replace
from pathlib import Path

import numpy as np

from wrapped_lake.simulate.catalog import Catalog
from wrapped_lake.simulate.events import PLAY, SKIP, Events
from wrapped_lake.simulate.markets import COUNTRIES, COUNTRY_SHARES, UTC_OFFSET_MINUTES
from wrapped_lake.simulate.population import Population, draw_population
from wrapped_lake.simulate.rng import CounterRNG, Stream
from wrapped_lake.simulate.timeline import MAX_SESSIONS_PER_DAY, MS_PER_DAY, MS_PER_HOUR, Sessions

FRAUD = ("looper", "farm", "rotator", "ring")
HARD_NEGATIVES = ("superfan", "sleeper")
KINDS = FRAUD + HARD_NEGATIVES
# Fraudulent accounts by kind, cycled: rings take half the places, so they come in groups.
FRAUD_CYCLE = ("looper", "ring", "farm", "ring", "rotator", "ring")
RING_SIZE = 6
ROTATOR_COUNTRIES = 6
_SALT = 0xB075


@dataclass(frozen=True)
class Bot:
    """One added account: its index after the ordinary users, its kind, and its ring (or -1)."""

    index: int
    kind: str
    ring: int = -1


def plan_bots(users: int, fraction: float) -> list[Bot]:
    """The added accounts for `users` ordinary ones: fraud, then super-fans, then sleepers."""
    if not 0 <= fraction <= 1:
        raise ValueError(f"bots must be a fraction between 0 and 1, got {fraction}")
    fraud = max(1, round(fraction * users)) if fraction > 0 else 0
    kinds = [FRAUD_CYCLE[i % len(FRAUD_CYCLE)] for i in range(fraud)]
    ring_member = np.cumsum([k == "ring" for k in kinds]) - 1
    last_ring = max(0, kinds.count("ring") // RING_SIZE - 1)  # the remainder joins the last full ring
    ring = [min(int(m) // RING_SIZE, last_ring) for m in ring_member]
    bots = [Bot(users + i, k, ring[i] if k == "ring" else -1) for i, k in enumerate(kinds)]
    negatives = [k for k in HARD_NEGATIVES for _ in range(fraud)]
    return bots + [Bot(users + fraud + i, k) for i, k in enumerate(negatives)]


def truth(users: int, fraction: float, seed: int) -> list[tuple[str, str]]:
    """(user id, kind) of every added account, as the feed names them."""
    bots = plan_bots(users, fraction)
    bits = CounterRNG(seed).bits(Stream.USER_ID, np.array([b.index for b in bots], dtype=np.int64))
    return [(f"{b:016x}", bot.kind) for b, bot in zip(bits.tolist(), bots, strict=True)]


def write_truth(path: Path, rows: list[tuple]) -> None:
    """The truth side file: JSON ([{"user_id", "kind"}]) when the name ends in .json, else CSV.

    Rows are (user id, kind), or (user id, kind, dates) for taste shifts (shifts.truth()): the dates
    are a "shift_dates" list in JSON and a shift_dates column of ISO dates joined by ";" in CSV
    (written only when a row has dates)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    dated = any(len(row) > 2 for row in rows)
    if path.suffix == ".json":
        listed = [
            {"user_id": row[0], "kind": row[1]} | ({"shift_dates": [d.isoformat() for d in row[2]]} if row[2:] else {})
            for row in rows
        ]
        path.write_text(json.dumps(listed, indent=1) + "\n", encoding="utf-8")
        return
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["user_id", "kind", "shift_dates"] if dated else ["user_id", "kind"])
        for user, kind, *dates in rows:
            writer.writerow([user, kind, ";".join(d.isoformat() for d in dates[0]) if dates else ""][: 2 + dated])


@dataclass
class _Plays:
    """One account's plays before they become events: times in UTC ms, one row per play."""

    start: np.ndarray
    played: np.ndarray
    track: np.ndarray
    lane: np.ndarray  # device lane (rotators), 0 otherwise: a lane-day is one session
    skipped: np.ndarray


def _run(begin: int, end: int, tracks, played, gap) -> tuple[np.ndarray, ...]:
    """Plays laid end to end from `begin` until `end`: `played(n)` and `gap(n)` draw lengths."""
    starts, lengths, picks = [], [], []
    t = begin
    while t < end:
        n = 512
        pick = tracks(n)
        ms = played(pick)
        wait = gap(n)
        offsets = np.cumsum(ms + wait) - (ms + wait)
        inside = t + offsets < end
        starts.append(t + offsets[inside])
        lengths.append(ms[inside])
        picks.append(pick[inside])
        t = int(t + offsets[-1] + ms[-1] + wait[-1])
    if not starts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(starts), np.concatenate(lengths), np.concatenate(picks)


def _artist_tracks(catalog: Catalog, artists: np.ndarray) -> np.ndarray:
    bounds = catalog.artist_bounds
    return np.concatenate([np.arange(bounds[a], bounds[a + 1]) for a in artists])


def _small_artists(rng: np.random.Generator, catalog: Catalog, count: int) -> np.ndarray:
    sizes = np.diff(catalog.artist_bounds)
    return rng.choice(np.flatnonzero(sizes >= 3), size=count, replace=False)


@dataclass(frozen=True)
class _Account:
    """What one account's behaviour needs: its draws, the catalog, the window and its zone."""

    bot: Bot
    rng: np.random.Generator
    seed: int
    catalog: Catalog
    first: int  # UTC ms
    last: int
    offset_ms: int  # the account's country's UTC offset

    @property
    def days(self) -> range:
        return range(self.first // MS_PER_DAY, -(-self.last // MS_PER_DAY))

    @property
    def duration(self) -> np.ndarray:
        return self.catalog.duration_ms.astype(np.int64)

    def run(self, begin: int, end: int, tracks, gap, played=None, lane: int = 0) -> tuple[np.ndarray, ...]:
        """Plays end to end inside the window, `tracks(n)` picking and `gap(n)` pausing: full tracks
        unless `played(picks)` says otherwise."""
        duration = self.duration
        played = played or (lambda pick: duration[pick])
        return (*_run(max(begin, self.first), min(end, self.last), tracks, played, gap), lane)


def _looper(a: _Account) -> list[tuple[np.ndarray, ...]]:
    rng = a.rng
    tracks = _artist_tracks(a.catalog, _small_artists(rng, a.catalog, rng.integers(1, 3)))[: rng.integers(3, 9)]
    pause = int(rng.integers(300, 1500))
    done = [0]

    def in_order(n):
        done[0] += n
        return tracks[(np.arange(n) + done[0] - n) % tracks.size]

    begin = a.first + int(rng.integers(0, MS_PER_HOUR))
    return [a.run(begin, a.last, in_order, lambda n: pause + rng.integers(-30, 31, n))]


def _farm(a: _Account) -> list[tuple[np.ndarray, ...]]:
    rng, duration = a.rng, a.duration
    tracks = _artist_tracks(a.catalog, _small_artists(rng, a.catalog, rng.integers(2, 5)))
    pause = int(rng.integers(500, 2000))
    rests, rest_hour = rng.random() < 1 / 3, int(rng.integers(0, 24))
    if rests:
        spans = [((d * 24 + rest_hour + 6) * MS_PER_HOUR, ((d + 1) * 24 + rest_hour) * MS_PER_HOUR) for d in a.days]
    else:
        spans = [(a.first + int(rng.integers(0, MS_PER_HOUR)), a.last)]
    return [
        a.run(
            begin,
            end,
            lambda n: rng.choice(tracks, n),
            lambda n: pause + rng.integers(-pause // 20, pause // 20 + 1, n),
            lambda pick: np.minimum(rng.integers(31_000, 36_001, pick.size), duration[pick]),
        )
        for begin, end in spans
    ]


def _rotator(a: _Account) -> list[tuple[np.ndarray, ...]]:
    rng = a.rng
    tracks = _artist_tracks(a.catalog, _small_artists(rng, a.catalog, rng.integers(2, 4)))[: rng.integers(20, 41)]

    def pick(n):
        return rng.choice(tracks, n)

    def gap(n):
        return rng.exponential(3000, n).astype(np.int64)

    parts = []
    for lane in range(int(rng.integers(2, 5))):
        for d in a.days:
            begin = d * MS_PER_DAY + int(rng.integers(0, 8 * MS_PER_HOUR))
            end = begin + int(rng.integers(16, 21)) * MS_PER_HOUR
            parts.append(a.run(begin, end, pick, gap, lane=lane))
    return parts


def _ring(a: _Account) -> list[tuple[np.ndarray, ...]]:
    rng, size = a.rng, len(a.catalog)
    shared = np.random.default_rng([a.seed & 0xFFFFFFFF, _SALT, 1 << 40 | a.bot.ring])  # the ring's own draws
    tracks = _artist_tracks(a.catalog, _small_artists(shared, a.catalog, shared.integers(1, 3)))
    tracks = tracks[: shared.integers(10, 21)]
    hour = int(rng.integers(0, 24))

    def pick(n):
        return np.where(rng.random(n) < 0.9, rng.choice(tracks, n), rng.integers(0, size, n))

    def gap(n):
        return np.where(rng.random(n) < 0.05, rng.integers(60_000, 600_000, n), rng.exponential(2000, n)).astype(
            np.int64
        )

    parts = []
    for d in a.days:
        begin = d * MS_PER_DAY + hour * MS_PER_HOUR + int(rng.integers(0, MS_PER_HOUR))
        parts.append(a.run(begin, begin + int(rng.integers(12, 19)) * MS_PER_HOUR, pick, gap))
    return parts


def _superfan(a: _Account) -> list[tuple[np.ndarray, ...]]:
    rng = a.rng
    big = np.flatnonzero(np.diff(a.catalog.artist_bounds) >= 15)
    tracks = _artist_tracks(a.catalog, rng.choice(big, 1))
    parts = []
    for d in a.days:
        if rng.random() < 0.05:
            continue
        sessions = int(rng.integers(2, 4))
        hours = rng.uniform(3, 6) / sessions
        for s in range(sessions):  # in order between 08:00 and 23:00 local, never overlapping
            local = 8 + s * 15 / sessions + rng.uniform(0, 15 / sessions - hours)
            begin = d * MS_PER_DAY + int(local * MS_PER_HOUR) - a.offset_ms
            parts.append(_human(a, begin, begin + int(hours * MS_PER_HOUR), tracks, 0.85))
    return parts


def _sleeper(a: _Account) -> list[tuple[np.ndarray, ...]]:
    rng, catalog = a.rng, a.catalog
    genres = [catalog.genres.index(g) for g in ("ambient", "classical") if g in catalog.genres]
    calm = np.flatnonzero(np.isin(catalog.genre, genres)) if genres else np.argsort(catalog.energy)[:500]
    playlist = rng.choice(calm, min(calm.size, int(rng.integers(40, 81))), replace=False)
    parts = []
    for d in a.days:
        bed = d * MS_PER_DAY + int(rng.uniform(22.5, 24.5) * MS_PER_HOUR) - a.offset_ms
        night = bed + int(rng.uniform(6, 9) * MS_PER_HOUR)  # over by 09:30 local
        parts.append(a.run(bed, night, lambda n: rng.choice(playlist, n), lambda n: rng.integers(0, 100, n)))
        for slot in range(int(rng.integers(0, 3))):  # 10:00-14:30 and 14:30-19:00 local
            begin = d * MS_PER_DAY + int((10 + 4.5 * slot + rng.uniform(0, 3)) * MS_PER_HOUR) - a.offset_ms
            parts.append(_human(a, begin, begin + int(rng.uniform(0.3, 1.5) * MS_PER_HOUR), None, 0))
    return parts


BEHAVIOURS = {
    "looper": _looper,
    "farm": _farm,
    "rotator": _rotator,
    "ring": _ring,
    "superfan": _superfan,
    "sleeper": _sleeper,
}


def _plays(bot: Bot, seed: int, catalog: Catalog, first: int, last: int, offset_ms: int) -> _Plays:
    """The plays of one added account between UTC ms `first` and `last`."""
    rng = np.random.default_rng([seed & 0xFFFFFFFF, _SALT, bot.index])
    parts = BEHAVIOURS[bot.kind](_Account(bot, rng, seed, catalog, first, last, offset_ms))
    start, played, track = (np.concatenate([p[k] for p in parts]).astype(np.int64) for k in range(3))
    lane = np.concatenate([np.full(p[0].size, p[3], dtype=np.int64) for p in parts])
    keep = (start >= first) & (start + played < last)
    skipped = played < catalog.duration_ms[track]
    return _Plays(start[keep], played[keep], track[keep], lane[keep], skipped[keep])


def _human(a: _Account, begin: int, end: int, favourites: np.ndarray | None, share: float) -> tuple[np.ndarray, ...]:
    """A person's session: `share` of picks from `favourites`, the rest popular tracks; skips
    early in a track for one play in four; exponential pauses of 0.7 s."""
    rng, duration = a.rng, a.duration
    popular = np.flatnonzero(a.catalog.popularity >= 50)
    popular = popular if popular.size else np.arange(len(a.catalog))

    def pick(n):
        other = rng.choice(popular, n)
        return np.where(rng.random(n) < share, rng.choice(favourites, n), other) if favourites is not None else other

    def played(picks):
        skip = rng.random(picks.size) < 0.25
        at = (1_000 + 9_000 * np.exp(rng.normal(size=picks.size))).astype(np.int64)
        return np.where(skip, np.clip(at, 1_000, duration[picks] - 1_000), duration[picks])

    return a.run(begin, end, pick, lambda n: rng.exponential(700, n).astype(np.int64), played)


def add_bots(
    population: Population,
    sessions: Sessions,
    events: Events,
    bots: list[Bot],
    seed: int,
    catalog: Catalog,
    code_weights: np.ndarray,
    first_day: int,
    days: int,
) -> tuple[Population, Sessions, Events]:
    """The feed with these added accounts appended: their users, sessions (a lane-day each) and plays."""
    if not bots:
        return population, sessions, events
    base = draw_population(CounterRNG(seed), np.array([b.index for b in bots], dtype=np.int64), catalog, code_weights)
    first, last = first_day * MS_PER_DAY, (first_day + days) * MS_PER_DAY
    rows, users, plays = [], [], []
    for i, bot in enumerate(bots):
        offset = int(UTC_OFFSET_MINUTES[base.country[i]]) * 60_000
        p = _plays(bot, seed, catalog, first, last, offset)
        if bot.kind == "rotator":
            # One row per country the account appears in: the feed carries the country per user row.
            rng = np.random.default_rng([seed & 0xFFFFFFFF, _SALT, bot.index, 1])
            countries = rng.choice(len(COUNTRIES), ROTATOR_COUNTRIES, replace=False, p=COUNTRY_SHARES)
            persona = rng.integers(0, ROTATOR_COUNTRIES, (p.lane.max(initial=0) + 1, days + 2))
            day = p.start // MS_PER_DAY - first_day
            which = persona[p.lane, day]
            for c in range(ROTATOR_COUNTRIES):
                rows.append(i)
                users.append(replace(base.take(np.array([i])), country=np.array([countries[c]], dtype=np.int16)))
                plays.append((len(rows) - 1, _take(p, which == c)))
        else:
            rows.append(i)
            users.append(base.take(np.array([i])))
            plays.append((len(rows) - 1, p))
    added = Population(**{f.name: np.concatenate([getattr(u, f.name) for u in users]) for f in fields(Population)})

    n_users, n_sessions = len(population), len(sessions)
    s_user, s_start, s_plays, s_device, s_key = [], [], [], [], []
    e = {name: [] for name in ("user", "session", "start", "end", "activity", "track", "played_ms", "number")}
    for row, p in plays:
        if p.start.size == 0:
            continue
        order = np.lexsort((p.start, p.lane))
        p = _take(p, order)
        day = p.start // MS_PER_DAY
        key = day * MAX_SESSIONS_PER_DAY + p.lane
        cut = np.r_[True, key[1:] != key[:-1]]
        session = np.cumsum(cut) - 1 + n_sessions + len(s_user)
        heads = np.flatnonzero(cut)
        s_user += [n_users + row] * heads.size
        s_start += p.start[heads].tolist()
        s_plays += np.diff(np.r_[heads, p.start.size]).tolist()
        s_device += (p.lane[heads] % 4).tolist()
        s_key += key[heads].tolist()
        first_of = np.maximum.accumulate(np.where(cut, np.arange(cut.size), 0))
        e["user"].append(np.full(p.start.size, n_users + row))
        e["session"].append(session)
        e["start"].append(p.start)
        e["end"].append(p.start + p.played)
        e["activity"].append(np.where(p.skipped, SKIP, PLAY))
        e["track"].append(p.track)
        e["played_ms"].append(p.played)
        e["number"].append(np.arange(cut.size) - first_of)
    new = {k: np.concatenate(v) if v else np.zeros(0, np.int64) for k, v in e.items()}
    return (
        Population(
            **{
                f.name: np.concatenate([getattr(population, f.name), getattr(added, f.name)])
                for f in fields(Population)
            }
        ),
        Sessions(
            user=np.r_[sessions.user, np.array(s_user, dtype=np.int64)],
            start=np.r_[sessions.start, np.array(s_start, dtype=np.int64)],
            plays=np.r_[sessions.plays, np.array(s_plays, dtype=np.int64)],
            device=np.r_[sessions.device, np.array(s_device, dtype=np.int8)],
            playlist=np.r_[sessions.playlist, np.full(len(s_user), -1, dtype=np.int8)],
            key=np.r_[sessions.key, np.array(s_key, dtype=np.int64)],
        ),
        Events(
            user=np.r_[events.user, new["user"].astype(np.int64)],
            session=np.r_[events.session, new["session"].astype(np.int64)],
            time=np.r_[events.time, new["end"].astype(np.int64)],
            start=np.r_[events.start, new["start"].astype(np.int64)],
            end=np.r_[events.end, new["end"].astype(np.int64)],
            activity=np.r_[events.activity, new["activity"].astype(np.int8)],
            track=np.r_[events.track, new["track"].astype(np.int32)],
            played_ms=np.r_[events.played_ms, new["played_ms"].astype(np.int64)],
            number=np.r_[events.number, new["number"].astype(np.int64)],
        ),
    )


def _take(p: _Plays, rows: np.ndarray) -> _Plays:
    return _Plays(**{f.name: getattr(p, f.name)[rows] for f in fields(_Plays)})
