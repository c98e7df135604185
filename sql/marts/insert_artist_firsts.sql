-- A full build's first streams: every listener from scratch, no index to check against yet.
INSERT INTO marts.artist_firsts (listener, artist_name, first_stream_date)
SELECT listener, artist_name, min(local_date)
FROM marts.hourly_plays
WHERE media = 'music' AND counted_plays > 0 AND artist_name IS NOT NULL
GROUP BY 1, 2
