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
-- sorts millions of plays in about half the time. Pauses are date_part's float seconds, not
-- extract's numeric, in whole milliseconds (the plays' own precision): a sixth of a full build
-- share's time here.
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
    SELECT listener, (started_at AT TIME ZONE 'UTC')::date AS utc_day, started_at, ended_at, ms_played, track_uri,
           conn_country, (date_part('epoch', started_at - lag(ended_at) OVER w) * 1000)::bigint AS gap_before_ms,
           (date_part('epoch', lead(started_at) OVER w - ended_at) * 1000)::bigint AS gap_after_ms,
           coalesce(started_at - lag(ended_at) OVER w > interval '30 minutes', true) AS starts_session
    FROM day_plays
    WINDOW w AS (PARTITION BY listener, (started_at AT TIME ZONE 'UTC')::date ORDER BY started_at, ended_at)
),
days AS (
    SELECT listener, utc_day, count(*) AS plays, count(track_uri) AS tracked_plays, count(DISTINCT track_uri) AS tracks,
           count(DISTINCT conn_country) AS countries, sum(ms_played) AS ms_played,
           count(*) FILTER (WHERE ms_played >= 30000 AND ms_played < 40000) AS thirty_plays,
           count(*) FILTER (WHERE gap_before_ms < 0) AS overlapping_plays,
           count(*) FILTER (WHERE gap_before_ms BETWEEN 0 AND 600000) AS gaps,
           coalesce(sum(gap_before_ms) FILTER (WHERE gap_before_ms BETWEEN 0 AND 600000), 0) AS gap_sum,
           -- Squared in bigint (a pause within a day squares to under 10^16), summed exactly in numeric.
           coalesce(sum(gap_before_ms * gap_before_ms) FILTER (WHERE gap_before_ms BETWEEN 0 AND 600000), 0)
               AS gap_sum_squares,
           max(gap_after_ms) AS longest_gap_ms, min(started_at) AS first_started_at,
           -- The end of the day's last play in that order, the one with no play after it: a window
           -- over each whole day for it took 7 of a full build share's 38 s here.
           max(ended_at) FILTER (WHERE gap_after_ms IS NULL) AS last_ended_at,
           count(*) FILTER (WHERE starts_session) AS sessions
    FROM gaps
    GROUP BY listener, utc_day
)
-- A listener rebuilt whole has every day here: the pauses between days come with them.
INSERT INTO {account_days} (listener, utc_day, plays, tracked_plays, tracks, countries, ms_played, thirty_plays,
                            overlapping_plays, gaps, gap_sum, gap_sum_squares, longest_gap_ms, first_started_at, last_ended_at,
                            sessions, gap_in_ms, gap_out_ms)
SELECT d.*,
       CASE WHEN {whole} THEN (date_part('epoch', first_started_at - lag(last_ended_at) OVER w) * 1000)::bigint END,
       CASE WHEN {whole} THEN (date_part('epoch', lead(first_started_at) OVER w - last_ended_at) * 1000)::bigint END
FROM days d
WINDOW w AS (PARTITION BY listener ORDER BY utc_day)
ORDER BY listener, utc_day;
SET LOCAL enable_nestloop = on;
-- For hour ranges: the pauses around each touched day. Its neighbouring active days are looked up
-- through the key, then the touched days and their neighbours are ordered per account: within
-- those rows a touched day's previous and next rows are its neighbours, so a window over them
-- gives its pauses, the previous day's pause after and the next day's pause before (those two are
-- all that changes for them). Each of those rows is then updated through the key: the planner,
-- guessing far more rows, would hash every account's days for them (0.9 s of 2.4 at 20,000 accounts).
SET LOCAL enable_hashjoin = off;
WITH touched AS MATERIALIZED (
    SELECT DISTINCT listener, utc_day FROM new_feed_plays WHERE NOT {whole}
),
judged AS MATERIALIZED (
    SELECT listener, utc_day, bool_or(touched) AS touched, bool_or(before) AS before, bool_or(after) AS after
    FROM (
        SELECT listener, utc_day, true AS touched, false AS before, false AS after FROM touched
        UNION ALL
        SELECT t.listener, n.utc_day, false, false, true
        FROM touched t
        CROSS JOIN LATERAL (
            SELECT d.utc_day FROM {account_days} d WHERE d.listener = t.listener AND d.utc_day > t.utc_day
            ORDER BY d.utc_day LIMIT 1
        ) n
        UNION ALL
        SELECT t.listener, p.utc_day, false, true, false
        FROM touched t
        CROSS JOIN LATERAL (
            SELECT d.utc_day FROM {account_days} d WHERE d.listener = t.listener AND d.utc_day < t.utc_day
            ORDER BY d.utc_day DESC LIMIT 1
        ) p
    ) j
    GROUP BY listener, utc_day
),
pauses AS (
    SELECT j.listener, j.utc_day, j.touched, j.before, j.after,
           (date_part('epoch', d.first_started_at - lag(d.last_ended_at) OVER w) * 1000)::bigint AS gap_in_ms,
           (date_part('epoch', lead(d.first_started_at) OVER w - d.last_ended_at) * 1000)::bigint AS gap_out_ms
    FROM judged j
    JOIN {account_days} d ON d.listener = j.listener AND d.utc_day = j.utc_day
    WINDOW w AS (PARTITION BY j.listener ORDER BY j.utc_day)
)
UPDATE {account_days} d
SET gap_in_ms = CASE WHEN p.touched OR p.after THEN p.gap_in_ms ELSE d.gap_in_ms END,
    gap_out_ms = CASE WHEN p.touched OR p.before THEN p.gap_out_ms ELSE d.gap_out_ms END
FROM pauses p
WHERE d.listener = p.listener AND d.utc_day = p.utc_day;
SET LOCAL enable_hashjoin = on
