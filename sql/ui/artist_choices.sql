-- The artists view's choices: the feed's 100 most streamed artists, the first its default.
SELECT artist_name
FROM marts.artist_weekly_continents
GROUP BY artist_name
ORDER BY sum(streams) DESC, artist_name COLLATE "C"
LIMIT 100
