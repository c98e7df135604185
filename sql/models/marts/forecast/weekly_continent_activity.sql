-- Music minutes and active users of the simulated feed per continent and complete UTC week (Monday to Sunday).
-- inputs: marts.account_days, curated.feed_users, marts.flagged_listeners
-- From the sums per account and UTC day (of the plays' starts) the build keeps
-- (marts.account_days), not every play. Accounts flagged as stream farms are left out (SET
-- lake.include_flagged = on keeps them).
CREATE VIEW marts.weekly_continent_activity AS
WITH days AS MATERIALIZED (
    SELECT u.continent, d.utc_day AS day, d.listener, d.ms_played AS ms
    FROM marts.account_days d
    JOIN curated.feed_users u USING (listener)
    WHERE d.listener NOT IN (SELECT listener FROM marts.flagged_listeners)
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
