-- Parameters of every report query: the listener and the window (calendar: the local year;
-- spotify: UTC hours from Jan 1 to the cut-off, counting only plays Spotify counts, ms_counted).
SELECT count(*) AS rows,
       coalesce(sum(CASE WHEN %(spotify)s THEN h.ms_counted ELSE h.ms_played END) FILTER (WHERE h.media = 'music'), 0) AS music_ms,
       coalesce(sum(CASE WHEN %(spotify)s THEN h.ms_counted ELSE h.ms_played END) FILTER (WHERE h.media = 'podcast'), 0) AS podcast_ms,
       coalesce(sum(h.counted_plays) FILTER (WHERE h.media = 'music'), 0) AS streams,
       count(DISTINCT h.item_key) FILTER (WHERE h.media = 'music' AND h.counted_plays > 0) AS distinct_tracks,
       count(DISTINCT h.artist_name) FILTER (WHERE h.media = 'music' AND h.counted_plays > 0) AS distinct_artists,
       coalesce(sum(h.skips) FILTER (WHERE h.media = 'music'), 0) AS skips,
       coalesce(sum(h.skip_known) FILTER (WHERE h.media = 'music'), 0) AS skip_known
FROM marts.hourly_plays h
WHERE h.listener = %(listener)s
  AND h.local_date BETWEEN %(date_from)s AND %(date_to)s
  AND h.utc_hour >= %(utc_from)s AND h.utc_hour < %(utc_to)s
