-- The series the feed's forecasts learn from: weekly music minutes and active users per continent, daily sessions.
-- inputs: marts.daily_sessions, marts.weekly_continent_activity
CREATE VIEW marts.forecast_series AS
-- Each view is read once: the weekly rows unpivoted, the daily rows with their last day beside them.
SELECT v.series, 'week' AS period, w.week AS period_start, v.value
FROM marts.weekly_continent_activity w
CROSS JOIN LATERAL (VALUES ('weekly_minutes:' || w.continent, w.music_minutes::double precision),
                           ('weekly_active_users:' || w.continent, w.active_users::double precision)) AS v (series, value)
UNION ALL
-- The feed's last day is left out: it may be partial (plays still to come, or only the spill
-- past midnight of the previous day's sessions).
SELECT 'daily_sessions', 'day', day, sessions
FROM (SELECT day, sessions, max(day) OVER () AS last_day FROM marts.daily_sessions) d
WHERE day < last_day;
COMMENT ON VIEW marts.forecast_series IS 'The series the feed''s forecasts learn from: weekly music minutes and active users per continent, daily sessions.';
COMMENT ON COLUMN marts.forecast_series.series IS 'weekly_minutes:<continent>, weekly_active_users:<continent> or daily_sessions (the whole population).';
COMMENT ON COLUMN marts.forecast_series.period IS 'week or day.';
COMMENT ON COLUMN marts.forecast_series.period_start IS 'Monday of the UTC week, or the UTC day.';
COMMENT ON COLUMN marts.forecast_series.value IS 'Minutes, active users or sessions.';
