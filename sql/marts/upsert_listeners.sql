-- Targets with plays become (or stay) listeners, stamped with the zone they were built in.
WITH gone AS (
    DELETE FROM marts.listeners l
    USING build_targets t
    WHERE l.listener = t.listener
      AND NOT EXISTS (SELECT FROM marts.listener_months m WHERE m.listener = t.listener)
)
INSERT INTO marts.listeners (listener, timezone, source, built_at)
SELECT t.listener, t.timezone,
       CASE WHEN EXISTS (SELECT FROM curated.feed_users u WHERE u.listener = t.listener) THEN 'feed' ELSE 'export' END,
       now()
FROM build_targets t
WHERE EXISTS (SELECT FROM marts.listener_months m WHERE m.listener = t.listener)
ON CONFLICT (listener) DO UPDATE SET timezone = excluded.timezone, built_at = excluded.built_at
