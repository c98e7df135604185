-- One listener's forgotten favourites: of their 200 most streamed tracks before the last 12 months, those with no stream in the last 6 months; up to 50, by past streams.
-- inputs: marts.past_favourites
-- The last 6 months end at marts.insight_end (as the 12 of marts.past_favourites): no stream after
-- that day minus 6 months. streams are the past streams (before the last 12 months).
CREATE FUNCTION marts.forgotten_favourites(listener text, date_to date)
RETURNS TABLE (rank bigint, item_key text, track_uri text, track_name text, artist_name text, streams bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
SELECT row_number() OVER (ORDER BY p.rank), p.item_key, p.track_uri, p.track_name, p.artist_name, p.streams
FROM marts.past_favourites(listener, date_to) p
WHERE p.last_streamed <= (p.end_date - interval '6 months')::date
ORDER BY 1
LIMIT 50
$$;
COMMENT ON FUNCTION marts.forgotten_favourites(text, date) IS 'One listener''s forgotten favourites: of their 200 most streamed tracks before the last 12 months, those not streamed in the last 6 months; up to 50, by past streams.';
