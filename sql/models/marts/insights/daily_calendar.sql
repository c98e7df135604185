-- One listener's music milliseconds on every local date of a period, days without music at 0: the year's calendar.
-- inputs: marts.daily_music_ms
-- A day's figure as marts.daily_music_ms gives it (every play, at most 24 hours), one row per date.
CREATE FUNCTION marts.daily_calendar(listener text, date_from date, date_to date)
RETURNS TABLE (local_date date, ms bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
SELECT g.day::date, coalesce(d.ms, 0)
FROM generate_series(date_from::timestamp, date_to::timestamp, interval '1 day') AS g (day)
LEFT JOIN marts.daily_music_ms(listener, date_from, date_to) d ON d.local_date = g.day::date
ORDER BY 1
$$;
COMMENT ON FUNCTION marts.daily_calendar(text, date, date) IS 'One listener''s music milliseconds on every local date of a period (0 without music).';
