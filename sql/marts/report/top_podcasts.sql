-- Top podcasts by show: by minutes, then name.
SELECT h.item_key AS show_name, sum(CASE WHEN %(spotify)s THEN h.ms_counted ELSE h.ms_played END) AS ms
FROM marts.hourly_plays h
WHERE h.listener = %(listener)s
  AND h.local_date BETWEEN %(date_from)s AND %(date_to)s
  AND h.utc_hour >= %(utc_from)s AND h.utc_hour < %(utc_to)s
  AND h.media = 'podcast'
GROUP BY h.item_key
HAVING sum(CASE WHEN %(spotify)s THEN h.ms_counted ELSE h.ms_played END) > 0
ORDER BY ms DESC, h.item_key COLLATE "C"
LIMIT 5
