-- Every listener with their zone, source and plays per local year.
SELECT l.listener, l.timezone, l.source, y.year, y.music_plays, y.music_minutes, y.podcast_minutes
FROM marts.listeners l
JOIN marts.listener_years y USING (listener)
ORDER BY l.listener, y.year
