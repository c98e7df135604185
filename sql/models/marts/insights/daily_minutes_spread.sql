-- The spread of a listener's daily music minutes: median and MAD over their active days of the 365 ending at marts.insight_end.
-- inputs: marts.daily_music_ms, marts.insight_end
-- An active day has music (marts.daily_music_ms). usable says the spread can judge a day: at least
-- 30 active days (a month of listening) and a MAD above 0 (more than half the days alike to the
-- millisecond leaves no scale). One row, usable false for a listener without plays.
CREATE FUNCTION marts.daily_minutes_spread(listener text, date_to date)
RETURNS TABLE (end_date date, active_days bigint, median_ms double precision, mad_ms double precision, usable boolean)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
WITH e AS (
    SELECT marts.insight_end(listener, date_to) AS end_date
),
days AS (
    SELECT d.ms FROM e CROSS JOIN marts.daily_music_ms(listener, e.end_date - 364, e.end_date) d
),
middle AS (
    SELECT count(*) AS active_days, percentile_cont(0.5) WITHIN GROUP (ORDER BY days.ms) AS median_ms FROM days
),
spread AS (
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(days.ms - middle.median_ms)) AS mad_ms
    FROM days CROSS JOIN middle
)
SELECT e.end_date, middle.active_days, middle.median_ms, spread.mad_ms,
       coalesce(middle.active_days >= 30 AND spread.mad_ms > 0, false)
FROM e CROSS JOIN middle CROSS JOIN spread
$$;
COMMENT ON FUNCTION marts.daily_minutes_spread(text, date) IS 'Median and MAD of a listener''s daily music milliseconds over their active days of the 365 ending at marts.insight_end; usable with 30 active days or more and a MAD above 0.';
