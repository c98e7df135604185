-- Spotify's own figures for the listener's year (their WrappedYYYY.json).
-- inputs: marts.spotify_wrapped
-- keys: spotify
SELECT most_listened_day, most_listened_day_minutes, top_track_play_count, top_track_first_played, top_podcast_minutes
FROM marts.spotify_wrapped
WHERE listener = %(listener)s AND year = %(year)s
