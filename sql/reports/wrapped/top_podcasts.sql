-- Top podcasts by show: by minutes, then name.
-- inputs: marts.window_plays
-- keys: top_podcasts
SELECT p.item_key AS show_name, sum(p.ms) AS ms
FROM marts.window_plays(%(listener)s, %(date_from)s, %(date_to)s, %(utc_from)s, %(utc_to)s, %(spotify)s) p
WHERE p.media = 'podcast'
GROUP BY p.item_key
HAVING sum(p.ms) > 0
ORDER BY ms DESC, p.item_key COLLATE "C"
LIMIT 5
