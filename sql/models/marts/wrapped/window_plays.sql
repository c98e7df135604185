-- One listener's fact rows inside a Wrapped window, with the milliseconds that window counts (ms).
-- inputs: marts.hourly_plays, marts.window_ms
-- A window is local dates [date_from, date_to] and UTC hours [utc_from, utc_to): the calendar year
-- is its local dates; Spotify's is Jan 1 00:00 UTC to its cut-off (reports/windows.py). Every
-- figure of a Wrapped reads its rows from here, so the window and the minutes rule are written
-- once. SQL and stable: the planner inlines it into each query (the (listener, local_date) index
-- still serves it).
CREATE FUNCTION marts.window_plays(
    listener text, date_from date, date_to date, utc_from timestamptz, utc_to timestamptz, spotify_rules boolean
) RETURNS TABLE (
    utc_hour timestamptz, local_date date, local_hour smallint, media text, item_key text, track_name text,
    artist_name text, album_name text, plays integer, counted_plays integer, ms bigint, skips integer,
    skip_known integer, first_ended_at timestamptz
)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
SELECT h.utc_hour, h.local_date, h.local_hour, h.media, h.item_key, h.track_name, h.artist_name, h.album_name,
       h.plays, h.counted_plays, marts.window_ms(spotify_rules, h.ms_played, h.ms_counted), h.skips, h.skip_known,
       h.first_ended_at
FROM marts.hourly_plays h
WHERE h.listener = window_plays.listener
  AND h.local_date BETWEEN date_from AND date_to
  AND h.utc_hour >= utc_from AND h.utc_hour < utc_to
$$;
COMMENT ON FUNCTION marts.window_plays(text, date, date, timestamptz, timestamptz, boolean) IS 'One listener''s fact rows in a Wrapped window (local dates and UTC hours), ms being what the window counts (marts.window_ms).';
