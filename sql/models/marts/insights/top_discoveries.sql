-- One listener's top discoveries of a period (ListenBrainz's Year in Music rule): tracks first streamed in it with more than 3 streams in it, at most 2 per artist, up to 50, by streams.
-- inputs: marts.hourly_plays, marts.track_firsts
-- First streamed: the track's first stream ever (marts.track_firsts, the listener's whole history)
-- falls on or after date_from. Ranked by streams in the period, then name and track in byte order;
-- an artist's third and later tracks are left out before the 50 are counted. track_uri is the
-- track's spotify:track URI, null for a track known by names only.
CREATE FUNCTION marts.top_discoveries(listener text, date_from date, date_to date)
RETURNS TABLE (rank bigint, item_key text, track_uri text, track_name text, artist_name text, streams bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
WITH streamed AS (
    SELECT h.item_key, min(h.track_name) AS track_name, min(h.artist_name) AS artist_name,
           sum(h.counted_plays)::bigint AS streams
    FROM marts.hourly_plays h
    WHERE h.listener = top_discoveries.listener AND h.local_date BETWEEN date_from AND date_to AND h.media = 'music'
    GROUP BY h.item_key
    HAVING sum(h.counted_plays) > 3
),
firsts AS (
    SELECT s.*, row_number() OVER (PARTITION BY s.artist_name
                                   ORDER BY s.streams DESC, s.track_name COLLATE "C", s.item_key COLLATE "C") AS of_artist
    FROM streamed s
    JOIN marts.track_firsts f ON f.listener = top_discoveries.listener AND f.item_key = s.item_key
    WHERE f.first_stream_date >= date_from
)
SELECT row_number() OVER (ORDER BY n.streams DESC, n.track_name COLLATE "C", n.item_key COLLATE "C"), n.item_key,
       CASE WHEN n.item_key LIKE 'spotify:track:%' THEN n.item_key END, n.track_name, n.artist_name, n.streams
FROM firsts n
WHERE n.of_artist <= 2
ORDER BY 1
LIMIT 50
$$;
COMMENT ON FUNCTION marts.top_discoveries(text, date, date) IS 'One listener''s top discoveries of a period: tracks first streamed in it with more than 3 streams in it, at most 2 per artist, up to 50, by streams.';
