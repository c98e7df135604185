-- Music minutes and active users of the simulated feed per continent and complete UTC week (Monday to Sunday).
-- inputs: marts.feed_plays
CREATE VIEW marts.weekly_continent_activity AS
WITH days AS MATERIALIZED (
    -- One read of marts.feed_plays (it computes the stream-farm flags on every read), summed per
    -- day first: the span and the weeks both come from these rows.
    SELECT continent, (utc_hour AT TIME ZONE 'UTC')::date AS day, listener, sum(ms_played) AS ms
    FROM marts.feed_plays
    GROUP BY 1, 2, 3
),
span AS (
    -- A week counts when the feed's plays reach from its Monday (or before) to its Sunday (or
    -- after): the first and last weeks of a feed are usually partial, and would read as a fall.
    SELECT min(day) AS first_day, max(day) AS last_day FROM days
)
SELECT d.continent, date_trunc('week', d.day)::date AS week, sum(d.ms) / 60000.0 AS music_minutes,
       count(DISTINCT d.listener) AS active_users
FROM days d
CROSS JOIN span s
WHERE date_trunc('week', d.day)::date >= s.first_day AND date_trunc('week', d.day)::date + 6 <= s.last_day
GROUP BY 1, 2;
COMMENT ON VIEW marts.weekly_continent_activity IS 'Music minutes and active users of the simulated feed per continent and complete UTC week (Monday to Sunday).';
COMMENT ON COLUMN marts.weekly_continent_activity.continent IS 'Listeners'' continent.';
COMMENT ON COLUMN marts.weekly_continent_activity.week IS 'Monday of the UTC week.';
COMMENT ON COLUMN marts.weekly_continent_activity.music_minutes IS 'Minutes of music played.';
COMMENT ON COLUMN marts.weekly_continent_activity.active_users IS 'Distinct users with a music play in the week.';
