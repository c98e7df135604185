-- One listener's top 5 artists in a Wrapped window: by the window's music minutes, then name.
-- inputs: marts.window_plays
-- The report's list and the analyst view marts.top_artists both read it, so the top-list check
-- verifies what the JSON shows. Names in byte order, as Python sorts.
CREATE FUNCTION marts.window_top_artists(
    listener text, date_from date, date_to date, utc_from timestamptz, utc_to timestamptz, spotify_rules boolean
) RETURNS TABLE (rank bigint, artist_name text, ms numeric, streams numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
SELECT row_number() OVER (ORDER BY sum(p.ms) DESC, p.artist_name COLLATE "C"), p.artist_name, sum(p.ms),
       sum(p.counted_plays)
FROM marts.window_plays(listener, date_from, date_to, utc_from, utc_to, spotify_rules) p
WHERE p.media = 'music' AND p.artist_name IS NOT NULL
GROUP BY p.artist_name
HAVING sum(p.ms) > 0
ORDER BY 1
LIMIT 5
$$;
COMMENT ON FUNCTION marts.window_top_artists(text, date, date, timestamptz, timestamptz, boolean) IS 'One listener''s top 5 artists in a Wrapped window, ranked by the window''s music minutes, then name.';
