"""Population views over a small simulated feed, checked against plain Python over curated rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from wrapped_lake.ingest import ingest
from wrapped_lake.marts.build import build
from wrapped_lake.simulate import simulate


def test_population_views(lake, conn):
    simulate(40, 3, dt.date(2025, 3, 3), 9, lake.inbox)
    ingest(lake)
    build(conn, lake)
    plays = conn.execute(
        "SELECT p.listener, p.started_at, p.ended_at FROM curated.play_rows p"
        " WHERE p.source = 'feed' AND p.incognito_mode IS NOT TRUE ORDER BY 1, 2, 3"
    ).fetchall()
    sessions: dict = defaultdict(int)
    last: dict = {}
    for listener, started, ended in plays:
        previous = last.get(listener)
        if previous is None or started - previous > dt.timedelta(minutes=30):
            sessions[started.astimezone(dt.UTC).date()] += 1
        last[listener] = ended
    assert dict(conn.execute("SELECT day, sessions FROM marts.daily_sessions").fetchall()) == dict(sessions)

    dau = dict(conn.execute("SELECT period_start, active_users FROM marts.active_users WHERE period = 'day'"))
    assert len(dau) == 3 and all(0 < n <= 40 for n in dau.values())
    assert max(r[0] for r in conn.execute("SELECT rank FROM marts.population_top_charts")) == 10
    charts = {r[0] for r in conn.execute("SELECT DISTINCT chart FROM marts.population_top_charts")}
    assert charts == {"song", "artist", "genre"}
    tiers = conn.execute("SELECT sum(users), sum(listeners) FROM marts.listeners_by_tier").fetchone()
    assert tiers[0] >= tiers[1] > 0
    streams = conn.execute("SELECT sum(streams) FROM marts.artist_continents").fetchone()[0]
    assert streams == conn.execute("SELECT sum(streams) FROM marts.listener_years").fetchone()[0]
    assert conn.execute("SELECT max(rank) FROM marts.artist_top_songs").fetchone()[0] <= 5
    percentiles = [r[0] for r in conn.execute("SELECT percentile FROM marts.minutes_percentiles ORDER BY 1")]
    assert percentiles[0] == 0 and percentiles[-1] == 100
