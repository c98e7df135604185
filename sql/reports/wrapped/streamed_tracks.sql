-- Per streamed track: streams, minutes and what a catalog knows of it (the user-loaded catalog
-- inputs: marts.window_plays, curated.catalog_tracks, curated.feed_tracks
-- keys: top_genres, personality, audio_profile, catalog_coverage
-- first, then the simulated feed's), for the personality, genres and audio profile.
SELECT t.item_key, t.artist_name, t.streams, t.ms,
       coalesce(c.genre, f.genre) AS genre, coalesce(c.release_year, f.release_year) AS release_year,
       coalesce(c.popularity, f.popularity) AS popularity,
       coalesce(c.valence, f.valence) AS valence, coalesce(c.energy, f.energy) AS energy,
       coalesce(c.danceability, f.danceability) AS danceability,
       coalesce(c.acousticness, f.acousticness) AS acousticness, coalesce(c.tempo, f.tempo) AS tempo,
       (c.track_uri IS NOT NULL OR f.track_id IS NOT NULL) AS in_catalog
FROM (
    SELECT p.item_key, min(p.artist_name) AS artist_name, sum(p.counted_plays) AS streams, sum(p.ms) AS ms
    FROM marts.window_plays(%(listener)s, %(date_from)s, %(date_to)s, %(utc_from)s, %(utc_to)s, %(spotify)s) p
    WHERE p.media = 'music'
    GROUP BY p.item_key
    HAVING sum(p.counted_plays) > 0
) t
LEFT JOIN curated.catalog_tracks c ON c.track_uri = t.item_key
LEFT JOIN curated.feed_tracks f ON t.item_key LIKE 'spotify:track:%%' AND f.track_id = substr(t.item_key, 15)
ORDER BY t.item_key COLLATE "C"
