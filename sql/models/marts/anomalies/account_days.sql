-- Per simulated account and UTC day its music plays started on: the sums behind the stream-farm signals (a build's fill).
-- inputs: curated.play_rows, build_targets, new_feed_plays
-- passes: whole, hours
-- Into {account_days} (marts.account_days, or a full build's new partition). The plays of a day
-- are ordered by start, then end (as marts.account_signals orders all of an account's plays);
-- the pauses inside a day are summed here, the pause before its first play and after its last
-- are left to marts.account_signals, from the neighbouring days' first start and last end. A play
-- starts a session when it is the day's first or starts over 30 minutes after the previous one
-- ended (marts.daily_sessions takes the day's first off when it continues the previous day's).
-- A listener rebuilt whole is summed again day by day; for hour ranges every UTC day a new feed
-- play started on (new_feed_plays) is summed again from all its plays: a play starting on a day
-- ends within 24 hours (longer ones are refused at ingest), so one window of end times on the
-- BRIN index reads them, matched to their days in one hash join (the key as an expression, || '',
-- which no index matches: see marts.hourly_plays). Listeners are ordered in byte order (C), which
-- sorts millions of plays in about half the time.
DELETE FROM {account_days} d
USING build_targets t
WHERE {whole} AND t.whole AND d.listener = t.listener;
DELETE FROM {account_days} d
USING new_feed_plays n
WHERE NOT {whole} AND d.listener = n.listener AND d.utc_day = n.utc_day;
-- No nested loops for the insert: right after an ingest curated.play_rows has no statistics for the
-- new plays, and the planner, expecting a handful, joined every touched day to every play in the
-- window one by one (a first build over 112 users' 60 days ran for minutes instead of a second).
SET LOCAL enable_nestloop = off;
WITH touched AS MATERIALIZED (
    SELECT DISTINCT listener, utc_day FROM new_feed_plays WHERE NOT {whole}
),
day_plays AS (
    SELECT p.listener COLLATE "C" AS listener, p.started_at, p.ended_at, p.ms_played, p.track_uri, p.conn_country
    FROM curated.play_rows p
    JOIN build_targets t ON t.listener = p.listener
    WHERE {whole} AND t.whole AND p.source = 'feed' AND p.media = 'music'
    UNION ALL
    SELECT p.listener, p.started_at, p.ended_at, p.ms_played, p.track_uri, p.conn_country
    FROM curated.play_rows p
    JOIN touched d ON d.listener = p.listener || '' AND d.utc_day = (p.started_at AT TIME ZONE 'UTC')::date
    WHERE NOT {whole} AND p.source = 'feed' AND p.media = 'music'
      AND p.ended_at >= (SELECT min(utc_day) FROM touched)::timestamp AT TIME ZONE 'UTC'
      AND p.ended_at < (SELECT max(utc_day) + 2 FROM touched)::timestamp AT TIME ZONE 'UTC'
),
gaps AS (
    SELECT listener, (started_at AT TIME ZONE 'UTC')::date AS utc_day, started_at, ms_played, track_uri, conn_country,
           (extract(epoch FROM started_at - lag(ended_at) OVER w) * 1000)::bigint AS gap_before_ms,
           (extract(epoch FROM lead(started_at) OVER w - ended_at) * 1000)::bigint AS gap_after_ms,
           last_value(ended_at) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_ended_at,
           coalesce(started_at - lag(ended_at) OVER w > interval '30 minutes', true) AS starts_session
    FROM day_plays
    WINDOW w AS (PARTITION BY listener, (started_at AT TIME ZONE 'UTC')::date ORDER BY started_at, ended_at)
)
INSERT INTO {account_days} (listener, utc_day, plays, tracked_plays, tracks, countries, ms_played, thirty_plays,
                            overlapping_plays, gaps, gap_sum, gap_sum_squares, longest_gap_ms, first_started_at, last_ended_at,
                            sessions)
SELECT listener, utc_day, count(*), count(track_uri), count(DISTINCT track_uri), count(DISTINCT conn_country),
       sum(ms_played), count(*) FILTER (WHERE ms_played >= 30000 AND ms_played < 40000),
       count(*) FILTER (WHERE gap_before_ms < 0),
       count(*) FILTER (WHERE gap_before_ms BETWEEN 0 AND 600000),
       coalesce(sum(gap_before_ms) FILTER (WHERE gap_before_ms BETWEEN 0 AND 600000), 0),
       coalesce(sum(gap_before_ms::numeric * gap_before_ms) FILTER (WHERE gap_before_ms BETWEEN 0 AND 600000), 0),
       max(gap_after_ms), min(started_at), max(last_ended_at), count(*) FILTER (WHERE starts_session)
FROM gaps
GROUP BY listener, utc_day
ORDER BY listener, utc_day;
SET LOCAL enable_nestloop = on
