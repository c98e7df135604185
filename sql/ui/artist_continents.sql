-- One artist's streams and listeners by continent and week (marts.artist_weekly_continents).
SELECT week_start, continent, streams, listeners
FROM marts.artist_weekly_continents
WHERE artist_name = %(artist)s
ORDER BY week_start, continent
