-- The weekly top 50 songs per country (scope: the listeners' ISO country) and of the whole feed (scope GLOBAL), by streams.
-- inputs: marts.feed_plays
-- Weeks are ISO weeks of UTC days (from Monday). Ranked by streams, ties by track name, artist
-- and URI in byte order (C), so every run gives the same ranks. Flagged accounts are left out
-- with marts.feed_plays (SET lake.include_flagged = on counts them). A query for one scope and
-- week is pushed below the ranking into both branches (the weekly rows are NOT MATERIALIZED,
-- which a CTE read twice otherwise is): only that chart's plays are grouped, not every week's.
CREATE VIEW marts.weekly_charts AS
WITH weekly AS NOT MATERIALIZED (
    SELECT country, date_trunc('week', utc_hour AT TIME ZONE 'UTC')::date AS week_start, listener, item_key,
           track_name, artist_name, streams
    FROM marts.feed_plays
),
counted AS (
    SELECT country AS scope, week_start, item_key, min(track_name) AS track_name, min(artist_name) AS artist_name,
           sum(streams) AS streams, count(DISTINCT listener) AS listeners
    FROM weekly
    WHERE country IS NOT NULL
    GROUP BY country, week_start, item_key
    UNION ALL
    SELECT 'GLOBAL', week_start, item_key, min(track_name), min(artist_name), sum(streams), count(DISTINCT listener)
    FROM weekly
    GROUP BY week_start, item_key
)
SELECT scope, week_start, rank::int AS rank, item_key, track_name, artist_name, streams::bigint AS streams,
       listeners::bigint AS listeners
FROM (
    SELECT c.*, row_number() OVER (PARTITION BY scope, week_start
                                   ORDER BY streams DESC, track_name COLLATE "C", artist_name COLLATE "C",
                                            item_key COLLATE "C") AS rank
    FROM counted c
    WHERE streams > 0
) ranked
WHERE rank <= 50;
COMMENT ON VIEW marts.weekly_charts IS 'The weekly top 50 songs per country (scope: the listeners'' ISO country) and of the whole feed (scope GLOBAL), by streams; flagged accounts left out unless lake.include_flagged is on.';
COMMENT ON COLUMN marts.weekly_charts.scope IS 'ISO country code of the listeners (curated.feed_users.country), or GLOBAL for every listener.';
COMMENT ON COLUMN marts.weekly_charts.week_start IS 'Monday of the ISO week (UTC days).';
COMMENT ON COLUMN marts.weekly_charts.rank IS '1 to 50, by streams, ties by track name, artist and URI in byte order.';
COMMENT ON COLUMN marts.weekly_charts.item_key IS 'Track URI (spotify:track:...).';
COMMENT ON COLUMN marts.weekly_charts.track_name IS 'Track name.';
COMMENT ON COLUMN marts.weekly_charts.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.weekly_charts.streams IS 'Plays of 30 s or more in the week.';
COMMENT ON COLUMN marts.weekly_charts.listeners IS 'Distinct listeners who streamed or played it in the week.';
