"""A listener-year's insights: phases found where the weekly artist mix changes (and only there), and
the planted figures of one hand-made listener in the Wrapped's JSON."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import numpy as np

from wrapped_lake.marts.build import build
from wrapped_lake.reports.insights import phases
from wrapped_lake.reports.wrapped import to_json, wrapped

YEAR = (date(2024, 1, 1), date(2024, 12, 31))
PHASE_ARTISTS = (("A1", "A2", "A3"), ("B1", "B2", "B3"), ("C1", "C2", "C3"))
SHIFTS = (17, 35)  # the weeks that start the second and third phases


def monday(week: int) -> date:
    """The Monday of the 2024 week numbered from 0 (Jan 1, 2024 is a Monday)."""
    return date(2024, 1, 1) + timedelta(weeks=week)


def weekly_rows(artists_of_week, seed: int, streams: int = 20) -> list[list]:
    """[week, artist, streams] rows of 52 weeks: each week's streams drawn (fixed seed) from its
    artists, the first taking half, plus two streams of a radio station heard all year."""
    draw = np.random.default_rng(seed)
    rows = []
    for week in range(52):
        artists = artists_of_week(week)
        counts = draw.multinomial(streams, [0.5, 0.3, 0.2])
        rows += [[monday(week).isoformat(), a, int(n)] for a, n in zip(artists, counts, strict=True) if n]
        rows.append([monday(week).isoformat(), "Radio", 2])
    return rows


def phase_of(week: int) -> int:
    return sum(week >= shift for shift in SHIFTS)


def test_three_planted_phases_are_found_within_2_weeks_of_their_boundaries():
    for seed in range(3):
        found = phases(weekly_rows(lambda week: PHASE_ARTISTS[phase_of(week)], seed), *YEAR)
        assert len(found) == 3, seed
        assert found[0].start == date(2024, 1, 1) and found[-1].end == monday(51) + timedelta(days=6)
        for phase, shift in zip(found[1:], SHIFTS, strict=True):
            assert abs((phase.start - monday(shift)).days) <= 14, (seed, phase)
        for before, after in pairwise(found):
            assert after.start == before.end + timedelta(days=1)  # contiguous
        assert [set(phase.top_artists) for phase in found] == [set(artists) for artists in PHASE_ARTISTS]


def test_a_steady_listener_has_one_phase():
    for seed in range(3):
        found = phases(weekly_rows(lambda week: PHASE_ARTISTS[0], seed), *YEAR)
        assert [(p.start, p.end, p.top_artists) for p in found] == [
            (date(2024, 1, 1), date(2024, 12, 29), ("A1", "A2", "A3"))
        ]


def test_a_listener_who_turns_round_the_same_artists_has_one_phase():
    rotation = ("A1", "A2", "A3", "B1", "B2", "B3")
    found = phases(weekly_rows(lambda week: [rotation[(week + i) % 6] for i in range(3)], 1), *YEAR)
    assert len(found) == 1


def test_every_phase_holds_at_least_4_weeks_and_a_short_year_is_one_phase():
    for late in (2, 3):  # new artists in the last weeks of the year
        found = phases(weekly_rows(lambda week, late=late: PHASE_ARTISTS[week >= 52 - late], 2), *YEAR)
        assert all((phase.end - phase.start).days + 1 >= 28 for phase in found), found
    rows = weekly_rows(lambda week: PHASE_ARTISTS[week >= 4], 2)
    seven = [row for row in rows if row[0] < monday(7).isoformat()]  # 7 weeks: two phases take 8
    assert [(p.start, p.end) for p in phases(seven, *YEAR)] == [(date(2024, 1, 1), date(2024, 2, 18))]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def song(ended_at: datetime, artist: str, ms: int = 180_000, track: str | None = None) -> dict:
    track = track or f"{artist} song"
    return {"ended_at": ended_at, "ms": ms, "artist_name": artist, "track_name": track,
            "track_uri": f"spotify:track:{track.replace(' ', '')}"}  # fmt: skip


def planted_year() -> list[dict]:
    """Three phases of 12 streams a week on Mondays, Wednesdays and Fridays; Z takes week 10 (an
    obsession); a binge of B1 on Thursday Aug 15 (an unusual day, B1 already a third of the weeks
    before: no obsession); Oldie streamed 10 times in 2022 and never since (forgotten)."""
    plays = [song(at(date(2022, 5, 2), 9, i), "Oldie") for i in range(10)]
    for week in range(52):
        artists = PHASE_ARTISTS[phase_of(week)]
        week_mix = ["Z"] * 8 + ["A1", "A1", "A2", "A3"] if week == 10 else [a for a in artists for _ in range(4)]
        for i, artist in enumerate(week_mix):
            day = monday(week) + timedelta(days=2 * (i % 3))
            plays.append(song(at(day, 8 + i), artist, ms=150_000 + (i % 5) * 20_000))
    plays += [song(at(date(2024, 8, 15), 12, i), "B1", ms=300_000) for i in range(30)]
    return plays


def test_a_planted_listeners_insights_are_in_the_wrapped_json(lake, conn, plays_file, valid_wrapped_json):
    plays_file("planted", planted_year())
    build(conn, lake)
    data = to_json(wrapped(conn, "planted", 2024))
    assert to_json(wrapped(conn, "planted", 2024)) == data  # the same bytes every time
    insights = valid_wrapped_json(data)["insights"]
    starts = [date.fromisoformat(phase["start"]) for phase in insights["phases"]]
    assert len(starts) == 3 and all(abs((s - monday(w)).days) <= 14 for s, w in zip(starts[1:], SHIFTS, strict=True))
    assert insights["obsessions"] == [{"artist": "Z", "weeks": [monday(10).isoformat()], "share": 0.6667}]
    assert insights["unusual_days"] == [{"date": "2024-08-15", "minutes": 150.0, "top_artist": "B1"}]
    # Weeks count back from the last play (Friday Dec 27): 37 minutes each, and the binge in the 12
    # weeks before the last 12: (12 x 37 - (12 x 37 + 150)) / (12 x 37 + 150) = -25.3%.
    assert insights["trend"]["change_pct"] == -25.3
    assert insights["forgotten_favourites"] == [
        {"name": "Oldie song", "artist": "Oldie", "uri": "spotify:track:Oldiesong", "streams": 10}
    ]
    assert insights["top_discoveries"][0] == {
        "name": "B1 song", "artist": "B1", "uri": "spotify:track:B1song", "streams": 18 * 4 + 30
    }  # fmt: skip
