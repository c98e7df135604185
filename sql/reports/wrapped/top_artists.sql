-- Top artists (marts.window_top_artists, which the analyst view and the top-list check read too).
-- inputs: marts.window_top_artists
-- keys: top_artists
SELECT artist_name, ms, streams
FROM marts.window_top_artists(%(listener)s, %(date_from)s, %(date_to)s, %(utc_from)s, %(utc_to)s, %(spotify)s)
ORDER BY rank
