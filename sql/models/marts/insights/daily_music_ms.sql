-- One listener's music milliseconds per local date, every play of any length (calendar rules); only days with music have rows.
-- inputs: marts.hourly_plays, marts.day_ms
-- A day's figure: at most 24 hours (marts.day_ms), like every figure of one day.
CREATE FUNCTION marts.daily_music_ms(listener text, date_from date, date_to date)
RETURNS TABLE (local_date date, ms bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
SELECT h.local_date, marts.day_ms(sum(h.ms_played))::bigint
FROM marts.hourly_plays h
WHERE h.listener = daily_music_ms.listener AND h.local_date BETWEEN date_from AND date_to AND h.media = 'music'
GROUP BY h.local_date
$$;
COMMENT ON FUNCTION marts.daily_music_ms(text, date, date) IS 'One listener''s music milliseconds per local date (every play), days with music only.';
