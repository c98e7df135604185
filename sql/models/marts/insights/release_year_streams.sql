-- One listener's streams in a period by the release year of the track (ListenBrainz's year in music), for tracks a catalog dates.
-- inputs: marts.catalog_streams
-- Tracks without a known release year count in no year (the report says how much a catalog covers).
CREATE FUNCTION marts.release_year_streams(listener text, date_from date, date_to date)
RETURNS TABLE (release_year integer, streams bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
SELECT s.release_year, sum(s.streams)::bigint
FROM marts.catalog_streams(listener, date_from, date_to) s
WHERE s.release_year IS NOT NULL
GROUP BY s.release_year
ORDER BY s.release_year
$$;
COMMENT ON FUNCTION marts.release_year_streams(text, date, date) IS 'One listener''s streams in a period by the release year of the track (tracks a catalog dates).';
