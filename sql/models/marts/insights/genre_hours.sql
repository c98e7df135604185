-- One listener's top 5 genres of a period (by streams, then name) with their streams by local hour of the day (ListenBrainz's year in music).
-- inputs: marts.catalog_streams
-- Hours are those in which the streams ended, in the listener's zone (as the listening clock);
-- only hours with streams have rows. Tracks without a known genre count in no genre.
CREATE FUNCTION marts.genre_hours(listener text, date_from date, date_to date)
RETURNS TABLE (rank bigint, genre text, local_hour smallint, streams bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
WITH hours AS (
    SELECT s.genre, s.local_hour, sum(s.streams)::bigint AS streams
    FROM marts.catalog_streams(listener, date_from, date_to) s
    WHERE s.genre IS NOT NULL
    GROUP BY 1, 2
),
top AS (
    SELECT h.genre, row_number() OVER (ORDER BY sum(h.streams) DESC, h.genre COLLATE "C") AS rank
    FROM hours h
    GROUP BY h.genre
)
SELECT t.rank, h.genre, h.local_hour, h.streams
FROM top t
JOIN hours h USING (genre)
WHERE t.rank <= 5
ORDER BY t.rank, h.local_hour
$$;
COMMENT ON FUNCTION marts.genre_hours(text, date, date) IS 'One listener''s top 5 genres of a period by streams, with their streams per local hour of the day.';
