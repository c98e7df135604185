-- One artist's most streamed songs in the feed (marts.artist_top_songs).
SELECT rank, track_name, streams, listeners
FROM marts.artist_top_songs
WHERE artist_name = %(artist)s
ORDER BY rank
