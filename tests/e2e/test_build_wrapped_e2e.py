"""Exports of every era and a simulated population through ingest and build: every Wrapped figure
against expectations computed here, in plain Python, from the generators' own rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from wrapped_lake import fixtures
from wrapped_lake.analytics.codes import CODES
from wrapped_lake.ingest import ingest
from wrapped_lake.marts.build import build
from wrapped_lake.reports.wrapped import to_json, wrapped
from wrapped_lake.simulate import simulate

# full_history's extended history ends here; later plays exist only in account data, which carries
# no private-session flag, so they count even when the generator made them private.
EXTENDED_END = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def private(p: fixtures.Play) -> bool:
    return p.incognito and p.ts < EXTENDED_END


def minutes(ms: int) -> float:
    return float((Decimal(ms) / 60000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def expected(plays: list[fixtures.Play], year: int, firsts: dict[str, dt.date]) -> dict:
    """The brief's definitions over one listener's real plays (UTC zone)."""
    counted = [p for p in plays if not private(p) and p.media in ("music", "podcast") and p.ts.year == year]
    music = [p for p in counted if p.media == "music"]
    streams = [p for p in music if p.ms >= 30_000]
    artists: dict = defaultdict(lambda: [0, 0])
    tracks: dict = defaultdict(lambda: {"streams": 0, "ms": 0, "first": None, "name": None, "artist": None})
    shows: Counter = Counter()
    days: Counter = Counter()
    months, clock = [0] * 12, [0] * 24
    for p in counted:
        days[p.ts.date()] += p.ms
        if p.media == "podcast":
            shows[p.show or p.episode] += p.ms
            continue
        artists[p.artist][0] += p.ms
        artists[p.artist][1] += p.ms >= 30_000
        t = tracks[(p.artist, p.track)]
        t["streams"] += p.ms >= 30_000
        t["ms"] += p.ms
        t["first"] = min(t["first"] or p.ts.date(), p.ts.date())
        t["name"], t["artist"] = p.track, p.artist
        months[p.ts.month - 1] += p.ms
        clock[p.ts.hour] += p.ms
    top_artists = sorted(((-ms, name, n) for name, (ms, n) in artists.items() if ms > 0))[:5]
    ranked = sorted((t for t in tracks.values() if t["streams"]), key=lambda t: (-t["streams"], -t["ms"], t["name"]))
    stream_days = sorted({p.ts.date() for p in streams})
    streak = best = 0
    for i, day in enumerate(stream_days):
        streak = streak + 1 if i and day - stream_days[i - 1] == dt.timedelta(days=1) else 1
        best = max(best, streak)
    big_day = max(days.items(), key=lambda kv: (kv[1], -kv[0].toordinal()))
    return {
        "minutes_music": minutes(sum(p.ms for p in music)),
        "minutes_podcast": minutes(sum(p.ms for p in counted if p.media == "podcast")),
        "streams": len(streams),
        "distinct_tracks": len({(p.artist, p.track) for p in streams}),
        "distinct_artists": len({p.artist for p in streams}),
        "top_artists": [{"name": name, "minutes": minutes(-ms), "streams": n} for ms, name, n in top_artists],
        "top_tracks": [
            {
                "name": t["name"],
                "artist": t["artist"],
                "streams": t["streams"],
                "minutes": minutes(t["ms"]),
                "first_played": t["first"].isoformat(),
            }
            for t in ranked[:5]
        ],
        "top_podcasts": [
            {"name": name, "minutes": minutes(ms)}
            for name, ms in sorted(shows.items(), key=lambda kv: (-kv[1], kv[0]))
            if ms > 0
        ][:5],
        "biggest_day": {"date": big_day[0].isoformat(), "minutes": minutes(big_day[1])},
        "monthly_minutes": [minutes(ms) for ms in months],
        "listening_clock": [minutes(ms) for ms in clock],
        "longest_streak_days": best,
        "new_artists": sum(1 for day in firsts.values() if day.year == year),
    }


def test_every_era_and_a_population_match_plain_python(lake, conn, valid_wrapped_json):
    export = fixtures.full_history("eve", plays=2500)
    fixtures.write_files(lake.inbox / "eve", export.files)
    simulate(30, 3, dt.date(2024, 12, 30), 21, lake.inbox)  # across New Year
    ingest(lake)
    build(conn, lake)

    plays = export.truth.plays
    firsts: dict[str, dt.date] = {}
    for p in sorted(plays, key=lambda p: p.ts):
        if p.media == "music" and not private(p) and p.ms >= 30_000:
            firsts.setdefault(p.artist, p.ts.date())
    years = sorted({p.ts.year for p in plays if not private(p) and p.media in ("music", "podcast")})
    assert len(years) >= 10
    for year in years:
        report = valid_wrapped_json(to_json(wrapped(conn, "eve", year)))
        want = expected(plays, year, firsts)
        assert {key: report[key] for key in want} == want, year

    # Simulated users: the same figures from their curated rows, read back and summed here.
    rows = conn.execute(
        "SELECT listener, ended_at, ms_played, artist_name, track_uri FROM curated.plays"
        " WHERE source = 'feed' AND media = 'music' AND incognito_mode IS NOT TRUE"
    ).fetchall()
    by_user: dict = defaultdict(list)
    for listener, ended, ms, artist, uri in rows:
        by_user[listener].append((ended, ms, artist, uri))
    assert len(by_user) >= 20
    for listener, user_plays in sorted(by_user.items())[:10]:
        for year in (2024, 2025):
            these = [p for p in user_plays if p[0].year == year]
            if not these:
                continue
            report = wrapped(conn, listener, year)
            assert report.minutes_music == minutes(sum(p[1] for p in these))
            assert report.streams == sum(p[1] >= 30_000 for p in these)
            assert report.distinct_tracks == len({p[3] for p in these if p[1] >= 30_000})
            assert report.catalog_coverage == 1.0 and report.top_genres and report.audio_profile
            assert 0 <= report.percentile <= 100


@pytest.mark.slow
def test_personality_gives_back_the_simulators_code(lake, conn):
    """112 simulated users over 60 days, 4 to 11 of each code: users with 200+ streams get their
    assigned personality back, and every code comes back."""
    # An even mix: the default one leaves some codes one user in 160 (the cost here is per user).
    simulate(112, 60, dt.date(2025, 1, 1), 5, lake.inbox, personality_mix=dict.fromkeys(CODES, 1))
    ingest(lake)
    build(conn, lake)
    assigned = dict(conn.execute("SELECT listener, personality FROM curated.feed_users").fetchall())
    outcomes: Counter = Counter()
    for listener, code in sorted(assigned.items()):
        report = wrapped(conn, listener, 2025)
        if report.streams < 200:
            continue
        outcomes[(code, report.personality.code)] += 1
    total = sum(outcomes.values())
    hits = sum(n for (code, got), n in outcomes.items() if code == got)
    misses = {f"{code}->{got}": n for (code, got), n in sorted(outcomes.items()) if code != got}
    print(f"personality: {hits}/{total} recovered; misses {misses}")
    assert total >= 100 and set(assigned.values()) <= set(CODES)
    assert hits / total >= 0.9, misses
    assert {code for code, got in outcomes if code == got} == set(CODES), misses
