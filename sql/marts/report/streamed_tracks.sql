-- Per streamed track: streams, minutes and what a catalog knows of it (the user-loaded catalog
-- first, then the simulated feed's), for the personality, genres and audio profile.
SELECT t.item_key, t.artist_name, t.streams, t.ms,
       coalesce(c.genre, f.genre) AS genre, coalesce(c.release_year, f.release_year) AS release_year,
       coalesce(c.popularity, f.popularity) AS popularity,
       coalesce(c.valence, f.valence) AS valence, coalesce(c.energy, f.energy) AS energy,
       coalesce(c.danceability, f.danceability) AS danceability,
       coalesce(c.acousticness, f.acousticness) AS acousticness, coalesce(c.tempo, f.tempo) AS tempo,
       (c.track_uri IS NOT NULL OR f.track_id IS NOT NULL) AS in_catalog
FROM (
    SELECT h.item_key, min(h.artist_name) AS artist_name, sum(h.counted_plays) AS streams,
           sum(CASE WHEN %(spotify)s THEN h.ms_counted ELSE h.ms_played END) AS ms
    FROM marts.hourly_plays h
    WHERE h.listener = %(listener)s
  AND h.local_date BETWEEN %(date_from)s AND %(date_to)s
  AND h.utc_hour >= %(utc_from)s AND h.utc_hour < %(utc_to)s
      AND h.media = 'music'
    GROUP BY h.item_key
    HAVING sum(h.counted_plays) > 0
) t
LEFT JOIN curated.catalog_tracks c ON c.track_uri = t.item_key
LEFT JOIN curated.feed_tracks f ON t.item_key LIKE 'spotify:track:%%' AND f.track_id = substr(t.item_key, 15)
ORDER BY t.item_key COLLATE "C"
