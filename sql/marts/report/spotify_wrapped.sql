SELECT most_listened_day, most_listened_day_minutes, top_track_play_count, top_track_first_played, top_podcast_minutes
FROM marts.spotify_wrapped
WHERE listener = %(listener)s AND year = %(year)s
