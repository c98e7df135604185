-- Totals of a listener's window.
-- inputs: marts.window_plays
-- keys: minutes_music, minutes_podcast, streams, distinct_tracks, distinct_artists, skip_rate
-- Calendar: the local year; spotify: UTC hours from Jan 1 to the cut-off, minutes of the plays
-- Spotify counts (marts.window_plays). Every report query takes the
-- same parameters (reports/windows.py).
SELECT count(*) AS rows,
       coalesce(sum(p.ms) FILTER (WHERE p.media = 'music'), 0) AS music_ms,
       coalesce(sum(p.ms) FILTER (WHERE p.media = 'podcast'), 0) AS podcast_ms,
       coalesce(sum(p.counted_plays) FILTER (WHERE p.media = 'music'), 0) AS streams,
       count(DISTINCT p.item_key) FILTER (WHERE p.media = 'music' AND p.counted_plays > 0) AS distinct_tracks,
       count(DISTINCT p.artist_name) FILTER (WHERE p.media = 'music' AND p.counted_plays > 0) AS distinct_artists,
       coalesce(sum(p.skips) FILTER (WHERE p.media = 'music'), 0) AS skips,
       coalesce(sum(p.skip_known) FILTER (WHERE p.media = 'music'), 0) AS skip_known
FROM marts.window_plays(%(listener)s, %(date_from)s, %(date_to)s, %(utc_from)s, %(utc_to)s, %(spotify)s) p
