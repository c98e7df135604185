-- Top artists: by music minutes, then name (byte order, as Python sorts).
SELECT h.artist_name, sum(CASE WHEN %(spotify)s THEN h.ms_counted ELSE h.ms_played END) AS ms,
       sum(h.counted_plays) AS streams
FROM marts.hourly_plays h
WHERE h.listener = %(listener)s
  AND h.local_date BETWEEN %(date_from)s AND %(date_to)s
  AND h.utc_hour >= %(utc_from)s AND h.utc_hour < %(utc_to)s
  AND h.media = 'music' AND h.artist_name IS NOT NULL
GROUP BY h.artist_name
HAVING sum(CASE WHEN %(spotify)s THEN h.ms_counted ELSE h.ms_played END) > 0
ORDER BY ms DESC, h.artist_name COLLATE "C"
LIMIT 5
