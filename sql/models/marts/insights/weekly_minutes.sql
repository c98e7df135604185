-- One listener's music minutes per week over all their history up to marts.insight_end: 7-day weeks counted back from that day, so the last week is whole.
-- inputs: marts.daily_music_ms, marts.insight_end
-- From the week of the first music play, weeks without music included (0 ms), each named by its
-- first day. The trend's series and its change (marts.minutes_trend).
CREATE FUNCTION marts.weekly_minutes(listener text, date_to date)
RETURNS TABLE (week_start date, ms bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
WITH e AS (
    SELECT marts.insight_end(listener, date_to) AS end_date
),
days AS (
    SELECT (e.end_date - d.local_date) / 7 AS back, d.ms
    FROM e CROSS JOIN marts.daily_music_ms(listener, '-infinity', e.end_date) d
)
SELECT e.end_date - 7 * weeks.back - 6, coalesce(sum(days.ms), 0)::bigint
FROM e
CROSS JOIN generate_series(0, (SELECT max(days.back) FROM days)) AS weeks (back)
LEFT JOIN days ON days.back = weeks.back
GROUP BY e.end_date, weeks.back
ORDER BY 1
$$;
COMMENT ON FUNCTION marts.weekly_minutes(text, date) IS 'One listener''s music milliseconds per 7-day week counted back from marts.insight_end, from the week of their first music play.';
