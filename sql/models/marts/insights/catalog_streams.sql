-- One listener's streams in a period per track and local hour, with what a catalog knows of the track (genre, release year).
-- inputs: marts.hourly_plays, curated.catalog_tracks, curated.feed_tracks
-- The catalog the Wrapped reads for genres and the personality (sql/reports/wrapped/streamed_tracks):
-- the user-loaded catalog first, then the simulated feed's, matched on the track URI; in_catalog
-- says either knows the track (the coverage rule: under half the streams known, the year in
-- music's catalog figures are null, as the Wrapped's genres are). Local dates of the period.
CREATE FUNCTION marts.catalog_streams(listener text, date_from date, date_to date)
RETURNS TABLE (item_key text, local_hour smallint, streams bigint, in_catalog boolean, genre text, release_year integer)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
SELECT t.item_key, t.local_hour, t.streams, (c.track_uri IS NOT NULL OR f.track_id IS NOT NULL),
       coalesce(c.genre, f.genre), coalesce(c.release_year, f.release_year)::integer
FROM (
    SELECT h.item_key, h.local_hour, sum(h.counted_plays)::bigint AS streams
    FROM marts.hourly_plays h
    WHERE h.listener = catalog_streams.listener AND h.local_date BETWEEN date_from AND date_to
      AND h.media = 'music' AND h.counted_plays > 0
    GROUP BY 1, 2
) t
LEFT JOIN curated.catalog_tracks c ON c.track_uri = t.item_key
LEFT JOIN curated.feed_tracks f ON t.item_key LIKE 'spotify:track:%' AND f.track_id = substr(t.item_key, 15)
$$;
COMMENT ON FUNCTION marts.catalog_streams(text, date, date) IS 'One listener''s streams in a period per track and local hour, with whether a catalog knows the track, its genre and release year (the loaded catalog first, then the feed''s).';
