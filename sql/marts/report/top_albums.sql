-- Top albums (an album is its name and artist): by minutes, then name.
SELECT h.album_name, h.artist_name, sum(CASE WHEN %(spotify)s THEN h.ms_counted ELSE h.ms_played END) AS ms
FROM marts.hourly_plays h
WHERE h.listener = %(listener)s
  AND h.local_date BETWEEN %(date_from)s AND %(date_to)s
  AND h.utc_hour >= %(utc_from)s AND h.utc_hour < %(utc_to)s
  AND h.media = 'music' AND h.album_name IS NOT NULL
GROUP BY h.album_name, h.artist_name
HAVING sum(CASE WHEN %(spotify)s THEN h.ms_counted ELSE h.ms_played END) > 0
ORDER BY ms DESC, h.album_name COLLATE "C", h.artist_name COLLATE "C"
LIMIT 5
