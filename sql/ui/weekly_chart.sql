-- One scope's top 50 songs of a week (marts.weekly_charts).
SELECT rank, track_name, artist_name, streams
FROM marts.weekly_charts
WHERE scope = %(scope)s AND week_start = %(week)s
ORDER BY rank
