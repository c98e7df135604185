-- Check: the detection's per-account tables agree with each other and with the fact for simulated users the last build rebuilt.
-- inputs: marts.account_days, marts.account_tracks, marts.account_heavy_tracks, marts.hourly_plays, marts.last_build, marts.listeners
-- Data check, on a fixed sample of 100 simulated users the last build rebuilt (each read whole
-- through the tables' keys; the counts per track and per artist are kept by addition, the days
-- summed again, so a day's plays added twice or missed shows here): their plays per day add up to
-- the fact's music plays, their plays per track to the days' plays with a track, and their heavy
-- tracks are exactly the tracks with 2% or more of 50 or more plays.
WITH sample AS (
    SELECT b.listener
    FROM marts.last_build b
    JOIN marts.listeners l USING (listener)
    WHERE l.source = 'feed'
    ORDER BY md5(b.listener)
    LIMIT 100
),
sums AS (
    SELECT s.listener,
           (SELECT coalesce(sum(plays), 0) FROM marts.account_days d WHERE d.listener = s.listener) AS day_plays,
           (SELECT coalesce(sum(tracked_plays), 0) FROM marts.account_days d WHERE d.listener = s.listener) AS tracked,
           (SELECT coalesce(sum(plays), 0) FROM marts.account_tracks a WHERE a.listener = s.listener) AS track_plays,
           (SELECT coalesce(sum(h.plays), 0) FROM marts.hourly_plays h WHERE h.listener = s.listener AND h.media = 'music')
               AS fact_plays
    FROM sample s
),
heavy AS (
    SELECT a.listener, a.track_uri, a.plays, t.track_plays AS total
    FROM sums t
    JOIN marts.account_tracks a ON a.listener = t.listener
    WHERE t.track_plays >= 50 AND a.plays >= 0.02 * t.track_plays
),
kept AS (
    SELECT h.listener, h.track_uri, h.plays, h.total
    FROM sample s
    JOIN marts.account_heavy_tracks h ON h.listener = s.listener
)
SELECT NOT EXISTS (SELECT FROM sums WHERE day_plays <> fact_plays) AS days_match_facts,
       NOT EXISTS (SELECT FROM sums WHERE track_plays <> tracked) AS tracks_add_up,
       NOT EXISTS ((SELECT * FROM heavy EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM heavy))
           AS heavy_tracks_exact
