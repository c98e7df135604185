-- The listener's all-time top artists by music minutes (private sessions left out).
SELECT artist_name, round(sum(ms_played) / 60000.0, 2) AS minutes, count(*) AS plays
FROM curated.plays
WHERE listener = %(listener)s AND media = 'music' AND incognito_mode IS NOT TRUE
GROUP BY artist_name
ORDER BY minutes DESC, artist_name
LIMIT 5
