-- One listener's top 5 tracks in a Wrapped window: by streams, then minutes, then name.
-- inputs: marts.window_plays
-- first_played is the first play of any length in the window: its local date, or its UTC date
-- where Spotify's rules count UTC days (utc_days). The report's list and the analyst view
-- marts.top_tracks both read it.
CREATE FUNCTION marts.window_top_tracks(
    listener text, date_from date, date_to date, utc_from timestamptz, utc_to timestamptz, spotify_rules boolean,
    utc_days boolean
) RETURNS TABLE (
    rank bigint, item_key text, track_name text, artist_name text, streams numeric, ms numeric, first_played date
)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
SELECT row_number() OVER (ORDER BY sum(p.counted_plays) DESC, sum(p.ms) DESC, min(p.track_name) COLLATE "C",
                                   p.item_key COLLATE "C"),
       p.item_key, min(p.track_name), min(p.artist_name), sum(p.counted_plays), sum(p.ms),
       CASE WHEN utc_days THEN (min(p.first_ended_at) AT TIME ZONE 'UTC')::date ELSE min(p.local_date) END
FROM marts.window_plays(listener, date_from, date_to, utc_from, utc_to, spotify_rules) p
WHERE p.media = 'music'
GROUP BY p.item_key
HAVING sum(p.counted_plays) > 0
ORDER BY 1
LIMIT 5
$$;
COMMENT ON FUNCTION marts.window_top_tracks(text, date, date, timestamptz, timestamptz, boolean, boolean) IS 'One listener''s top 5 streamed tracks in a Wrapped window, ranked by streams, then minutes, then name.';
