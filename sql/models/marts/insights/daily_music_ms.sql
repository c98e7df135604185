-- One listener's music milliseconds per local date, every play of any length (calendar rules); only days with music have rows.
-- inputs: marts.listener_days, marts.day_ms
-- A day's figure: at most 24 hours (marts.day_ms), like every figure of one day. Read from the
-- daily sums the build keeps (marts.listener_days), not from the hourly fact.
CREATE FUNCTION marts.daily_music_ms(listener text, date_from date, date_to date)
RETURNS TABLE (local_date date, ms bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
SELECT d.local_date, marts.day_ms(d.music_ms)::bigint
FROM marts.listener_days d
WHERE d.listener = daily_music_ms.listener AND d.local_date BETWEEN date_from AND date_to AND d.music_plays > 0
$$;
COMMENT ON FUNCTION marts.daily_music_ms(text, date, date) IS 'One listener''s music milliseconds per local date (every play), days with music only.';
