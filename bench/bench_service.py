"""The service's analytics over the feed, built with the marts: `make bench` (or `python
bench/bench_service.py [--users N --plays N --days N]`).

The same generated feed as bench_wrapped.py (its SQL, by import: 10,000,000 plays of 20,000 users
over 50 days by default), with feed users in 12 countries on 6 continents and a catalogue row with
audio features for every track, so the charts and their features have inputs. Figures, measured in
this run on this machine:
- full build, its steps, and the service's own (target < 60 s): the stream-farm detection's tables,
  the global weekly streams and every account's score;
- incremental build after one new day, with the service's steps (target < 3 s), for DAYS days, a
  day apart as far as autovacuum is concerned (as bench_wrapped.py);
- query times (median of 3): the stream-farm scores of every account, the artists' suspicious
  share, one country's and the global weekly chart, a chart's audio features, a country's audio by
  month, one artist's continents by week, top songs and suspicious share, the daily sessions and
  the weekly activity per continent (the forecasts' series), the daily and weekly active users, the
  Airflow page's population charts of the latest month;
- a refresh of the forecasts (target < 30 s).
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

from bench_wrapped import DAILY_AUTOVACUUM, START, TRACKS, bench_lake, daily_builds, generate_plays, size_arguments

from wrapped_lake.marts.build import build
from wrapped_lake.marts.forecast import refresh
from wrapped_lake.platform.db import connect, query

DAYS = 3  # incremental builds, one new day each
# Users in 12 countries, each on its continent; bench_wrapped.py's users are all in one.
USERS_SQL = """
INSERT INTO curated.feed_users (listener, country, continent, subscription_type, personality, file_id)
SELECT 'u' || lpad(u::text, 6, '0'), c.country, c.continent, (ARRAY['FREE','PREMIUM','FAMILY','STUDENT'])[1 + u %% 4],
       'ENVU', 0
FROM generate_series(1, %(users)s) AS u
JOIN (VALUES (0, 'SE', 'EU'), (1, 'DE', 'EU'), (2, 'GB', 'EU'), (3, 'US', 'NA'), (4, 'MX', 'NA'), (5, 'BR', 'SA'),
             (6, 'AR', 'SA'), (7, 'JP', 'AS'), (8, 'IN', 'AS'), (9, 'NG', 'AF'), (10, 'ZA', 'AF'), (11, 'AU', 'OC'))
     AS c (n, country, continent) ON c.n = u %% 12
"""
# Every track bench_wrapped.py's plays name ('spotify:track:' || lpad(track, 22, '0'), ten per
# artist), with audio features drawn from a fixed seed.
TRACKS_SQL = """
INSERT INTO curated.feed_tracks (track_id, track_name, artist_id, artist_name, genre, popularity, duration_ms,
                                 valence, energy, danceability, acousticness, tempo, file_id)
SELECT lpad(t::text, 22, '0'), 'Track ' || t, 'a' || (t / 10), 'Artist ' || (t / 10),
       (ARRAY['pop','rock','jazz','hip-hop','ambient','folk'])[1 + (t / 10) %% 6], (random() * 100)::int,
       180000, random(), random(), random(), random(), 60 + random() * 120, 0
FROM generate_series(0, %(tracks)s - 1) AS t
"""
QUERIES = {
    "stream-farm scores, every account": "SELECT count(*) FILTER (WHERE flagged) FROM marts.anomaly_scores",
    "artists' suspicious share, every artist": "SELECT count(*) FROM marts.artist_suspicious_share",
    "weekly chart, one country": "SELECT * FROM marts.weekly_charts WHERE scope = 'SE' AND week_start = %(week)s",
    "weekly chart, global": "SELECT * FROM marts.weekly_charts WHERE scope = 'GLOBAL' AND week_start = %(week)s",
    "a chart's audio features": (
        "SELECT * FROM marts.chart_audio_features WHERE scope = 'SE' AND week_start = %(week)s"
    ),
    "a country's audio by month": "SELECT * FROM marts.country_audio_by_month WHERE country = 'SE'",
    "an artist's continents by week": ("SELECT * FROM marts.artist_weekly_continents WHERE artist_name = %(artist)s"),
    "an artist's top songs": "SELECT * FROM marts.artist_top_songs WHERE artist_name = %(artist)s",
    "an artist's suspicious share": "SELECT * FROM marts.artist_suspicious_share WHERE artist_name = %(artist)s",
    "daily sessions, every day": "SELECT count(*) FROM marts.daily_sessions",
    "weekly activity per continent, every week": "SELECT count(*) FROM marts.weekly_continent_activity",
    "daily and weekly active users, every day and week": "SELECT count(*) FROM marts.active_users",
    "the population page's charts, the latest month": query("ui/population_charts"),
}


# The build's steps of the service's analytics: the detection's tables and their keys, the new feed
# plays they read, the global weekly streams, the tracks' totals and every account's score.
SERVICE_STEPS = ("new_feed_plays", "detection_indexes", "weekly_track_streams", "track_totals", "anomaly_scores")


def service_seconds(seconds: dict[str, float]) -> float:
    return sum(v for k, v in seconds.items() if k.startswith("account_") or k in SERVICE_STEPS)


def main() -> None:
    args, per_day = size_arguments()
    results = []
    with bench_lake("bench_service") as (settings, _):
        with connect(settings) as conn:
            plays = generate_plays(conn, args.users, per_day, args.days, users_sql=USERS_SQL)
            conn.execute("SELECT setseed(0.42)")
            conn.execute(TRACKS_SQL, {"tracks": TRACKS})
            conn.execute("VACUUM ANALYZE curated.feed_users, curated.feed_tracks")

            started = time.perf_counter()
            full = build(conn, settings, full=True)
            full_s = time.perf_counter() - started
            conn.execute("VACUUM ANALYZE marts.hourly_plays, marts.listener_months")  # autovacuum's, as bench_wrapped
        steps = ", ".join(f"{k} {v:.1f}" for k, v in full.seconds.items())
        results.append(
            (f"full build, {plays:,} plays of {args.users:,} users", f"{full_s:.1f} s",
             f"service steps {service_seconds(full.seconds):.1f} s (slowest share's, then the swap's)",
             f"target < 60 s; {steps}")
        )  # fmt: skip

        for day, inc_s, incremental, _ in daily_builds(settings, args, per_day, DAYS):
            steps = ", ".join(f"{k} {v:.2f}" for k, v in incremental.seconds.items())
            results.append(
                (f"incremental build, new day {day + 1} ({args.users * per_day:,} plays)", f"{inc_s:.2f} s",
                 f"service steps {service_seconds(incremental.seconds):.2f} s", f"target < 3 s; {steps}")
            )  # fmt: skip

        with connect(settings) as conn:
            conn.execute(f"VACUUM ANALYZE {', '.join(DAILY_AUTOVACUUM)}")
            week = START + timedelta(days=(args.days // 7 - 1) * 7 - START.weekday())  # a Monday, the week inside
            params = {"week": week, "artist": "Artist 100"}
            for name, text in QUERIES.items():
                times, found = [], 0
                for _ in range(3):
                    began = time.perf_counter()
                    found = len(conn.execute(text, params).fetchall())
                    times.append(time.perf_counter() - began)
                median, most = statistics.median(times) * 1000, max(times) * 1000
                results.append((name, f"{median:,.0f} ms", f"{found} row(s)", f"median of 3, max {most:,.0f} ms"))
            began = time.perf_counter()
            written = refresh(conn)
            results.append(
                ("forecasts refreshed", f"{time.perf_counter() - began:.1f} s",
                 f"{written['series']} series, {written['rows']} rows", "target < 30 s")
            )  # fmt: skip
    for row in results:
        print(" | ".join(row))


if __name__ == "__main__":
    main()
