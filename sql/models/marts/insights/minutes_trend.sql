-- One listener's trend: music minutes of the last 12 weeks against the 12 before, and the change in percent (1 decimal).
-- inputs: marts.weekly_minutes
-- Weeks of marts.weekly_minutes (counted back from marts.insight_end). change_pct is null when the
-- listener's history holds fewer than 24 weeks or the 12 before hold no minute.
CREATE FUNCTION marts.minutes_trend(listener text, date_to date)
RETURNS TABLE (recent_ms bigint, before_ms bigint, change_pct numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
WITH weeks AS (
    SELECT row_number() OVER (ORDER BY w.week_start DESC) AS back, w.ms FROM marts.weekly_minutes(listener, date_to) w
),
sums AS (
    SELECT sum(weeks.ms) FILTER (WHERE weeks.back <= 12)::bigint AS recent_ms,
           sum(weeks.ms) FILTER (WHERE weeks.back BETWEEN 13 AND 24)::bigint AS before_ms, count(*) AS weeks
    FROM weeks
)
SELECT sums.recent_ms, sums.before_ms,
       CASE WHEN sums.weeks >= 24 AND sums.before_ms > 0
            THEN round(100.0 * (sums.recent_ms - sums.before_ms) / sums.before_ms, 1) END
FROM sums
$$;
COMMENT ON FUNCTION marts.minutes_trend(text, date) IS 'One listener''s music milliseconds of the last 12 weeks and the 12 before (marts.weekly_minutes), and the change in percent.';
