-- Per artist of the simulated feed: streams and listeners by continent and UTC week.
-- inputs: marts.feed_plays
-- Weeks are ISO weeks of UTC days (from Monday). Flagged accounts are left out with
-- marts.feed_plays (SET lake.include_flagged = on counts them).
CREATE VIEW marts.artist_weekly_continents AS
SELECT artist_name, continent, date_trunc('week', utc_hour AT TIME ZONE 'UTC')::date AS week_start,
       sum(streams)::bigint AS streams, count(DISTINCT listener)::bigint AS listeners
FROM marts.feed_plays
WHERE artist_name IS NOT NULL
GROUP BY 1, 2, 3;
COMMENT ON VIEW marts.artist_weekly_continents IS 'Per artist of the simulated feed: streams and listeners by continent and UTC week; flagged accounts left out unless lake.include_flagged is on.';
COMMENT ON COLUMN marts.artist_weekly_continents.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_weekly_continents.continent IS 'Listeners'' continent (AF, AS, EU, NA, OC, SA).';
COMMENT ON COLUMN marts.artist_weekly_continents.week_start IS 'Monday of the ISO week (UTC days).';
COMMENT ON COLUMN marts.artist_weekly_continents.streams IS 'Plays of 30 s or more.';
COMMENT ON COLUMN marts.artist_weekly_continents.listeners IS 'Distinct listeners who played the artist that week.';
