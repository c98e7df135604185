-- Top tracks: by streams, then minutes, then name; first_played is the first play of any length
-- in the window (by UTC date where Spotify's rules count UTC days).
SELECT min(h.track_name) AS track_name, min(h.artist_name) AS artist_name, sum(h.counted_plays) AS streams,
       sum(CASE WHEN %(spotify)s THEN h.ms_counted ELSE h.ms_played END) AS ms,
       CASE WHEN %(utc_days)s THEN (min(h.first_ended_at) AT TIME ZONE 'UTC')::date ELSE min(h.local_date) END AS first_played
FROM marts.hourly_plays h
WHERE h.listener = %(listener)s
  AND h.local_date BETWEEN %(date_from)s AND %(date_to)s
  AND h.utc_hour >= %(utc_from)s AND h.utc_hour < %(utc_to)s
  AND h.media = 'music'
GROUP BY h.item_key
HAVING sum(h.counted_plays) > 0
ORDER BY streams DESC, ms DESC, min(h.track_name) COLLATE "C", h.item_key COLLATE "C"
LIMIT 5
