-- The simulated feed's music from the marts fact, with each user's continent, country and tier and each track's genre.
-- inputs: curated.feed_tracks, curated.feed_users, marts.hourly_plays, marts.flagged_listeners
-- Accounts flagged as stream farms are left out (marts.flagged_listeners; SET lake.include_flagged
-- = on keeps them), so every population, chart and artist view built on it leaves them out too.
-- The genre's track is found by its id (the URI's part after spotify:track:, none for any other
-- key): the catalogue's key against an expression of the play's, which the planner knows matches
-- one row at most, so a query that reads no genre skips the catalogue altogether (every play's
-- count at 10 million plays: 9.6 s to 1.6 s).
CREATE VIEW marts.feed_plays AS
SELECT h.listener, u.continent, u.country, u.subscription_type, h.utc_hour, h.item_key, h.track_name,
       h.artist_name, t.genre, h.plays, h.counted_plays AS streams, h.ms_played
FROM marts.hourly_plays h
JOIN curated.feed_users u USING (listener)
LEFT JOIN curated.feed_tracks t
    ON t.track_id = CASE WHEN h.item_key LIKE 'spotify:track:%' THEN substr(h.item_key, 15) END
WHERE h.media = 'music' AND h.listener NOT IN (SELECT listener FROM marts.flagged_listeners);
COMMENT ON VIEW marts.feed_plays IS 'The simulated feed''s music from the marts fact, with each user''s continent, country and tier and each track''s genre; flagged accounts left out unless lake.include_flagged is on.';
COMMENT ON COLUMN marts.feed_plays.listener IS 'Simulated user.';
COMMENT ON COLUMN marts.feed_plays.continent IS 'User''s continent (AF, AS, EU, NA, OC, SA).';
COMMENT ON COLUMN marts.feed_plays.country IS 'User''s country.';
COMMENT ON COLUMN marts.feed_plays.subscription_type IS 'User''s tier.';
COMMENT ON COLUMN marts.feed_plays.utc_hour IS 'UTC hour of the plays'' end.';
COMMENT ON COLUMN marts.feed_plays.item_key IS 'Track URI.';
COMMENT ON COLUMN marts.feed_plays.track_name IS 'Track name.';
COMMENT ON COLUMN marts.feed_plays.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.feed_plays.genre IS 'Track genre (curated.feed_tracks).';
COMMENT ON COLUMN marts.feed_plays.plays IS 'Plays of any length.';
COMMENT ON COLUMN marts.feed_plays.streams IS 'Plays of 30 s or more.';
COMMENT ON COLUMN marts.feed_plays.ms_played IS 'Milliseconds played.';
