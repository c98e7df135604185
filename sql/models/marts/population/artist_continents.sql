-- Per artist of the simulated feed: plays, streams and listeners by continent.
-- inputs: marts.feed_plays
CREATE VIEW marts.artist_continents AS
SELECT artist_name, continent, sum(plays) AS plays, sum(streams) AS streams, count(DISTINCT listener) AS listeners
FROM marts.feed_plays
GROUP BY artist_name, continent;
COMMENT ON VIEW marts.artist_continents IS 'Per artist of the simulated feed: plays, streams and listeners by continent.';
COMMENT ON COLUMN marts.artist_continents.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_continents.continent IS 'Listeners'' continent.';
COMMENT ON COLUMN marts.artist_continents.plays IS 'Plays of any length.';
COMMENT ON COLUMN marts.artist_continents.streams IS 'Plays of 30 s or more.';
COMMENT ON COLUMN marts.artist_continents.listeners IS 'Distinct listeners.';
