-- Two listeners' compatibility in a period (ListenBrainz's similarity): the cosine similarity of their per-track streams, times 100, rounded; null when either has under 50 streams.
-- inputs: marts.listener_track_streams
-- Numeric all the way, so a listener compared with themselves is exactly 100 (sqrt of a square).
-- a_streams and b_streams are each one's music streams in the period.
CREATE FUNCTION marts.compatibility(a text, b text, date_from date, date_to date)
RETURNS TABLE (score integer, a_streams bigint, b_streams bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
WITH pairs AS (
    SELECT coalesce(x.streams, 0)::numeric AS x, coalesce(y.streams, 0)::numeric AS y
    FROM marts.listener_track_streams(a, date_from, date_to) x
    FULL JOIN marts.listener_track_streams(b, date_from, date_to) y USING (item_key)
)
SELECT CASE WHEN sum(p.x) >= 50 AND sum(p.y) >= 50
            THEN round(100 * sum(p.x * p.y) / sqrt(sum(p.x * p.x) * sum(p.y * p.y)))::int END,
       coalesce(sum(p.x), 0)::bigint, coalesce(sum(p.y), 0)::bigint
FROM pairs p
$$;
COMMENT ON FUNCTION marts.compatibility(text, text, date, date) IS 'Two listeners'' compatibility in a period: cosine similarity of their per-track streams x 100, rounded; null when either has under 50 streams.';
