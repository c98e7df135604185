-- Listening sessions of the simulated feed per UTC day; a session ends after 30 minutes without a play.
-- inputs: curated.play_rows, marts.flagged_listeners
-- Accounts flagged as stream farms are left out (SET lake.include_flagged = on keeps them).
CREATE VIEW marts.daily_sessions AS
WITH plays AS (
    SELECT p.listener, p.started_at, p.ended_at,
           p.started_at - lag(p.ended_at) OVER (PARTITION BY p.listener ORDER BY p.started_at, p.ended_at) AS gap
    FROM curated.play_rows p
    WHERE p.source = 'feed' AND p.incognito_mode IS NOT TRUE
      AND p.listener NOT IN (SELECT listener FROM marts.flagged_listeners)
)
SELECT (started_at AT TIME ZONE 'UTC')::date AS day, count(*) AS sessions, count(DISTINCT listener) AS listeners
FROM plays
WHERE gap IS NULL OR gap > interval '30 minutes'
GROUP BY 1;
COMMENT ON VIEW marts.daily_sessions IS 'Listening sessions of the simulated feed per UTC day; a session ends after 30 minutes without a play; flagged accounts left out unless lake.include_flagged is on.';
COMMENT ON COLUMN marts.daily_sessions.day IS 'UTC day the session started.';
COMMENT ON COLUMN marts.daily_sessions.sessions IS 'Sessions started that day.';
COMMENT ON COLUMN marts.daily_sessions.listeners IS 'Listeners who started one.';
