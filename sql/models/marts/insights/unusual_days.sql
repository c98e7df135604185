-- One listener's unusual days in a period: days whose music minutes have a robust z-score above 3.5 among their active days of the last 365, with the day's top artist.
-- inputs: marts.daily_music_ms, marts.daily_minutes_spread, marts.listener_day_artists
-- robust z = 0.6745 (minutes - median) / MAD: Iglewicz and Hoaglin's modified z-score, whose usual
-- threshold 3.5 this is, over the spread of marts.daily_minutes_spread (no row when it is not
-- usable). Days of the period inside those 365 days, by date; the top artist has the day's most
-- music minutes, then the first name in byte order.
CREATE FUNCTION marts.unusual_days(listener text, date_from date, date_to date)
RETURNS TABLE (local_date date, ms bigint, robust_z double precision, top_artist text)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
WITH s AS (
    SELECT * FROM marts.daily_minutes_spread(listener, date_to) WHERE usable
)
SELECT d.local_date, d.ms, 0.6745 * (d.ms - s.median_ms) / s.mad_ms, top.artist_name
FROM s
CROSS JOIN marts.daily_music_ms(listener, greatest(date_from, s.end_date - 364), s.end_date) d
LEFT JOIN LATERAL (
    SELECT a.artist_name
    FROM marts.listener_day_artists a
    WHERE a.listener = unusual_days.listener AND a.local_date = d.local_date
    ORDER BY a.ms_played DESC, a.artist_name COLLATE "C"
    LIMIT 1
) top ON true
WHERE 0.6745 * (d.ms - s.median_ms) / s.mad_ms > 3.5
ORDER BY d.local_date
$$;
COMMENT ON FUNCTION marts.unusual_days(text, date, date) IS 'One listener''s days in a period whose music minutes have a robust z-score (0.6745 (x - median) / MAD over the active days of the last 365) above 3.5, with the day''s top artist.';
