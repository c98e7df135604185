-- Top tracks (marts.window_top_tracks, which the analyst view and the top-list check read too).
-- inputs: marts.window_top_tracks
-- keys: top_tracks
SELECT track_name, artist_name, streams, ms, first_played
FROM marts.window_top_tracks(%(listener)s, %(date_from)s, %(date_to)s, %(utc_from)s, %(utc_to)s, %(spotify)s,
                             %(utc_days)s)
ORDER BY rank
