-- Listening sessions of the simulated feed per UTC day; a session ends after 30 minutes without a play.
-- inputs: marts.account_days, marts.flagged_listeners
-- From the sessions per account and day the build keeps (marts.account_days: the day's first play
-- and every play starting over 30 minutes after the previous ended, ordered by start then end),
-- less the day's first when it starts within 30 minutes of the account's previous active day's
-- last end (gap_in_ms, exact: the feed's times are whole milliseconds): one session over midnight
-- counts on the day it started. The feed's plays are all
-- music, none incognito (the Avro schema has neither), so these are all its plays. Accounts
-- flagged as stream farms are left out (SET lake.include_flagged = on keeps them).
CREATE VIEW marts.daily_sessions AS
WITH days AS (
    SELECT d.utc_day, d.listener, d.sessions - CASE WHEN d.gap_in_ms <= 1800000 THEN 1 ELSE 0 END AS sessions
    FROM marts.account_days d
    WHERE d.listener NOT IN (SELECT listener FROM marts.flagged_listeners)
)
SELECT utc_day AS day, sum(sessions)::bigint AS sessions, count(*) FILTER (WHERE sessions > 0) AS listeners
FROM days
GROUP BY 1
HAVING sum(sessions) > 0;
COMMENT ON VIEW marts.daily_sessions IS 'Listening sessions of the simulated feed per UTC day; a session ends after 30 minutes without a play; flagged accounts left out unless lake.include_flagged is on.';
COMMENT ON COLUMN marts.daily_sessions.day IS 'UTC day the session started.';
COMMENT ON COLUMN marts.daily_sessions.sessions IS 'Sessions started that day.';
COMMENT ON COLUMN marts.daily_sessions.listeners IS 'Listeners who started one.';
