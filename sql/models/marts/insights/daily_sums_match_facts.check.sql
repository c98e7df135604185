-- Check: the insights' daily tables hold the fact's sums on the local dates the last build rebuilt.
-- inputs: marts.listener_days, marts.listener_day_artists, marts.hourly_plays, marts.last_build, marts.listeners
-- Data check: per listener rebuilt by the last build, over the local dates of what it rebuilt
-- (every date for a listener rebuilt whole, the dates of the new hours for the others), the plays,
-- streams and milliseconds of marts.listener_days and the streams and milliseconds of
-- marts.listener_day_artists equal those of the hourly fact. Summed per listener, not per day: one
-- group per listener keeps the check after a full build to one pass over each table (a date lost,
-- doubled or half built still changes its listener's sums). Both tables come from the fact of the
-- same build, so no listener is left out for files loaded since (unlike totals_match_curated).
-- Every export listener the build rebuilt is checked; of simulated users, a fixed sample of 100
-- (the fills are one statement for all; every rebuilt user took 4.1 s after a new feed day of
-- 20,000 users and 15.7 s after a full build, measured by bench/bench_insights.py).
WITH checked AS (
    SELECT b.listener, b.from_date, b.to_date
    FROM marts.last_build b JOIN marts.listeners l USING (listener)
    WHERE l.source = 'export'
    UNION ALL
    (SELECT b.listener, b.from_date, b.to_date
     FROM marts.last_build b JOIN marts.listeners l USING (listener)
     WHERE l.source = 'feed'
     ORDER BY md5(b.listener)
     LIMIT 100)
),
fact AS (
    SELECT h.listener COLLATE "C" AS listener,
           coalesce(sum(h.plays) FILTER (WHERE h.media = 'music'), 0) AS music_plays,
           coalesce(sum(h.counted_plays) FILTER (WHERE h.media = 'music'), 0) AS streams,
           coalesce(sum(h.ms_played) FILTER (WHERE h.media = 'music'), 0) AS music_ms,
           coalesce(sum(h.plays) FILTER (WHERE h.media = 'podcast'), 0) AS podcast_plays,
           coalesce(sum(h.ms_played) FILTER (WHERE h.media = 'podcast'), 0) AS podcast_ms,
           coalesce(sum(h.counted_plays) FILTER (WHERE h.media = 'music' AND h.artist_name IS NOT NULL), 0)
               AS artist_streams,
           coalesce(sum(h.ms_played) FILTER (WHERE h.media = 'music' AND h.artist_name IS NOT NULL), 0) AS artist_ms
    FROM checked b
    JOIN marts.hourly_plays h ON h.listener = b.listener AND h.local_date BETWEEN b.from_date AND b.to_date
    GROUP BY 1
),
days AS (
    SELECT d.listener COLLATE "C" AS listener, sum(d.music_plays) AS music_plays, sum(d.streams) AS streams,
           sum(d.music_ms) AS music_ms, sum(d.podcast_plays) AS podcast_plays, sum(d.podcast_ms) AS podcast_ms
    FROM checked b
    JOIN marts.listener_days d ON d.listener = b.listener AND d.local_date BETWEEN b.from_date AND b.to_date
    GROUP BY 1
),
artists AS (
    SELECT a.listener COLLATE "C" AS listener, sum(a.streams) AS streams, sum(a.ms_played) AS ms
    FROM checked b
    JOIN marts.listener_day_artists a ON a.listener = b.listener AND a.local_date BETWEEN b.from_date AND b.to_date
    GROUP BY 1
)
SELECT NOT EXISTS (
           SELECT FROM fact f FULL JOIN days d USING (listener)
           WHERE f.music_plays IS DISTINCT FROM d.music_plays OR f.streams IS DISTINCT FROM d.streams
              OR f.music_ms IS DISTINCT FROM d.music_ms OR f.podcast_plays IS DISTINCT FROM d.podcast_plays
              OR f.podcast_ms IS DISTINCT FROM d.podcast_ms
       ) AS days_match_fact,
       NOT EXISTS (
           SELECT FROM fact f FULL JOIN artists a USING (listener)
           WHERE (f.artist_streams IS DISTINCT FROM a.streams OR f.artist_ms IS DISTINCT FROM a.ms)
             AND (f.artist_ms > 0 OR a.ms IS NOT NULL OR f.artist_streams > 0)
       ) AS day_artists_match_fact
