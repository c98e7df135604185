-- The weekly top 50 songs per country (scope: the listeners' ISO country) and of the whole feed (scope GLOBAL), by streams.
-- inputs: marts.weekly_track_streams, marts.hourly_plays, curated.feed_users, marts.flagged_listeners, marts.track_totals
-- Weeks are ISO weeks of each listener's own dates (the fact's local_date, as the Wrapped counts
-- days). Ranked by streams, ties by track name, artist and URI in byte order (C), so every run
-- gives the same ranks; streams only, as Spotify's own weekly charts show them. Flagged accounts
-- are left out (marts.flagged_listeners; SET lake.include_flagged = on keeps them). A track's
-- names are the ones marts.track_totals keeps, the least of its feed plays' over the whole feed,
-- the same in every scope and week.
-- - GLOBAL: the streams the build keeps per week and track (marts.weekly_track_streams), less the
--   flagged accounts' own rows of that week, summed when read (a flag that changes counts at once).
-- - a country: its listeners' fact rows of the week, through the fact's (listener, local_date)
--   key, listener by listener (OFFSET 0 keeps each listener's read apart: joined, the planner
--   would scan the whole fact, 0.7 s where these reads take 0.02 s at a million plays).
-- The weeks run from the weekly table's first to its last (read off its key). A query for one
-- scope and week is pushed below the ranking into both branches.
CREATE VIEW marts.weekly_charts AS
WITH weeks AS (
    SELECT g::date AS week_start
    FROM (SELECT min(week_start) AS first_week, max(week_start) AS last_week FROM marts.weekly_track_streams) AS b,
         generate_series(b.first_week, b.last_week, interval '7 days') AS g
),
flagged_streams AS (
    SELECT k.week_start, h.item_key, sum(h.counted_plays) AS streams
    FROM weeks k
    JOIN marts.flagged_listeners f ON f.listener IN (SELECT listener FROM curated.feed_users)
    CROSS JOIN LATERAL (
        SELECT h.item_key, h.counted_plays
        FROM marts.hourly_plays h
        WHERE h.listener = f.listener AND h.local_date >= k.week_start AND h.local_date < k.week_start + 7
          AND h.media = 'music'
        OFFSET 0
    ) AS h
    GROUP BY 1, 2
),
counted AS (
    SELECT 'GLOBAL' AS scope, w.week_start, w.item_key, w.streams - coalesce(f.streams, 0) AS streams
    FROM marts.weekly_track_streams w
    LEFT JOIN flagged_streams f USING (week_start, item_key)
    UNION ALL
    SELECT u.country, k.week_start, h.item_key, sum(h.counted_plays)
    FROM weeks k
    JOIN curated.feed_users u ON u.country IS NOT NULL
    CROSS JOIN LATERAL (
        SELECT h.item_key, h.counted_plays
        FROM marts.hourly_plays h
        WHERE h.listener = u.listener AND h.local_date >= k.week_start AND h.local_date < k.week_start + 7
          AND h.media = 'music'
        OFFSET 0
    ) AS h
    WHERE u.listener NOT IN (SELECT listener FROM marts.flagged_listeners)
    GROUP BY 1, 2, 3
),
-- Names are looked up only for the tracks that can make the top 50: those with fewer than 50
-- tracks of more streams (rank() gives every track tied with the 50th a place), not for the tens
-- of thousands a country plays in a week (a country's week at 10 million plays: 0.18 s to 0.07 s).
contenders AS (
    SELECT c.*, rank() OVER (PARTITION BY c.scope, c.week_start ORDER BY c.streams DESC) AS streams_rank
    FROM counted c
    WHERE c.streams > 0
)
SELECT scope, week_start, rank::int AS rank, item_key, track_name, artist_name, streams::bigint AS streams
FROM (
    SELECT c.scope, c.week_start, c.item_key, t.track_name, t.artist_name, c.streams,
           row_number() OVER (PARTITION BY c.scope, c.week_start
                              ORDER BY c.streams DESC, t.track_name COLLATE "C", t.artist_name COLLATE "C",
                                       c.item_key COLLATE "C") AS rank
    FROM contenders c
    LEFT JOIN marts.track_totals t ON t.track_uri = c.item_key
    WHERE c.streams_rank <= 50
) ranked
WHERE rank <= 50;
COMMENT ON VIEW marts.weekly_charts IS 'The weekly top 50 songs per country (scope: the listeners'' ISO country) and of the whole feed (scope GLOBAL), by streams; flagged accounts left out unless lake.include_flagged is on.';
COMMENT ON COLUMN marts.weekly_charts.scope IS 'ISO country code of the listeners (curated.feed_users.country), or GLOBAL for every listener.';
COMMENT ON COLUMN marts.weekly_charts.week_start IS 'Monday of the ISO week, of the listeners'' local dates (as the Wrapped counts days).';
COMMENT ON COLUMN marts.weekly_charts.rank IS '1 to 50, by streams, ties by track name, artist and URI in byte order.';
COMMENT ON COLUMN marts.weekly_charts.item_key IS 'Track URI (spotify:track:...).';
COMMENT ON COLUMN marts.weekly_charts.track_name IS 'Track name (marts.track_totals: the least one if plays differ).';
COMMENT ON COLUMN marts.weekly_charts.artist_name IS 'Artist name (marts.track_totals: the least one if plays differ).';
COMMENT ON COLUMN marts.weekly_charts.streams IS 'Plays of 30 s or more in the week.';
