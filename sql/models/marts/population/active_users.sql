-- Daily (DAU) and weekly (WAU) active users of the simulated feed: users with a music play in the UTC day or week.
-- inputs: marts.feed_plays
CREATE VIEW marts.active_users AS
SELECT 'day' AS period, (utc_hour AT TIME ZONE 'UTC')::date AS period_start, count(DISTINCT listener) AS active_users
FROM marts.feed_plays GROUP BY 2
UNION ALL
SELECT 'week', date_trunc('week', utc_hour AT TIME ZONE 'UTC')::date, count(DISTINCT listener)
FROM marts.feed_plays GROUP BY 2;
COMMENT ON VIEW marts.active_users IS 'Daily (DAU) and weekly (WAU) active users of the simulated feed: users with a music play in the UTC day or week.';
COMMENT ON COLUMN marts.active_users.period IS 'day or week.';
COMMENT ON COLUMN marts.active_users.period_start IS 'The UTC day, or the Monday of the week.';
COMMENT ON COLUMN marts.active_users.active_users IS 'Distinct users with a play.';
