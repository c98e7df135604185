-- One listener's streams of each music track in a period of local dates (all their plays' hours).
-- inputs: marts.window_plays
-- The rows of a calendar window (marts.window_plays, every UTC hour): the period is the listener's
-- own local dates, so two listeners in different zones each count their own calendar year. A track
-- is its item key (its spotify:track URI, or its names); tracks played but never streamed are left out.
CREATE FUNCTION marts.listener_track_streams(listener text, date_from date, date_to date)
RETURNS TABLE (item_key text, track_name text, artist_name text, streams bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
SELECT p.item_key, min(p.track_name), min(p.artist_name), sum(p.counted_plays)::bigint
FROM marts.window_plays(listener, date_from, date_to, '-infinity', 'infinity', false) p
WHERE p.media = 'music'
GROUP BY p.item_key
HAVING sum(p.counted_plays) > 0
$$;
COMMENT ON FUNCTION marts.listener_track_streams(text, date, date) IS 'One listener''s streams of each music track in a period of their local dates; tracks never streamed left out.';
