-- Top albums (an album is its name and artist): by minutes, then name.
-- inputs: marts.window_plays
-- keys: top_albums
SELECT p.album_name, p.artist_name, sum(p.ms) AS ms
FROM marts.window_plays(%(listener)s, %(date_from)s, %(date_to)s, %(utc_from)s, %(utc_to)s, %(spotify)s) p
WHERE p.media = 'music' AND p.album_name IS NOT NULL
GROUP BY p.album_name, p.artist_name
HAVING sum(p.ms) > 0
ORDER BY ms DESC, p.album_name COLLATE "C", p.artist_name COLLATE "C"
LIMIT 5
