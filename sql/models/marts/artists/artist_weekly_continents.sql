-- Per artist of the simulated feed: streams and listeners by continent and week.
-- inputs: marts.listener_day_artists, curated.feed_users, marts.flagged_listeners
-- Read from the streams per listener, local date and artist the build keeps
-- (marts.listener_day_artists, indexed by artist: one artist's rows, not every play), so weeks are
-- ISO weeks of each listener's own dates, as the Wrapped counts days. A listener counts in a week
-- with any play of the artist. Flagged accounts are left out (marts.flagged_listeners; SET
-- lake.include_flagged = on counts them).
CREATE VIEW marts.artist_weekly_continents AS
SELECT d.artist_name, u.continent, date_trunc('week', d.local_date)::date AS week_start, sum(d.streams)::bigint AS streams,
       count(DISTINCT d.listener)::bigint AS listeners
FROM marts.listener_day_artists d
JOIN curated.feed_users u USING (listener)
WHERE d.listener NOT IN (SELECT listener FROM marts.flagged_listeners)
GROUP BY 1, 2, 3;
COMMENT ON VIEW marts.artist_weekly_continents IS 'Per artist of the simulated feed: streams and listeners by continent and week (the listener''s own days); flagged accounts left out unless lake.include_flagged is on.';
COMMENT ON COLUMN marts.artist_weekly_continents.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_weekly_continents.continent IS 'Listeners'' continent (AF, AS, EU, NA, OC, SA).';
COMMENT ON COLUMN marts.artist_weekly_continents.week_start IS 'Monday of the ISO week, of the listener''s local dates (as the Wrapped counts days).';
COMMENT ON COLUMN marts.artist_weekly_continents.streams IS 'Plays of 30 s or more.';
COMMENT ON COLUMN marts.artist_weekly_continents.listeners IS 'Distinct listeners who played the artist that week.';
