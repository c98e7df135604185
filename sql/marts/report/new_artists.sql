-- Artists whose first stream ever (in this listener's whole history) falls in the year, by minutes.
SELECT h.artist_name, sum(CASE WHEN %(spotify)s THEN h.ms_counted ELSE h.ms_played END) AS ms
FROM marts.hourly_plays h
JOIN marts.artist_firsts f ON f.listener = h.listener AND f.artist_name = h.artist_name
WHERE h.listener = %(listener)s
  AND h.local_date BETWEEN %(date_from)s AND %(date_to)s
  AND h.utc_hour >= %(utc_from)s AND h.utc_hour < %(utc_to)s
  AND h.media = 'music' AND extract(year FROM f.first_stream_date) = %(year)s
GROUP BY h.artist_name
ORDER BY ms DESC, h.artist_name COLLATE "C"
