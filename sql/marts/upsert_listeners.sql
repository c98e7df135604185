-- Targets with plays become (or stay) listeners, stamped with the zone they were built in; a
-- listener rebuilt whole may have no plays left (hour ranges only gain plays).
WITH gone AS (
    DELETE FROM marts.listeners l
    USING build_targets t
    WHERE l.listener = t.listener AND t.whole
      AND NOT EXISTS (SELECT FROM marts.listener_months m WHERE m.listener = t.listener)
)
INSERT INTO marts.listeners (listener, timezone, source, built_at)
SELECT t.listener, t.timezone, CASE WHEN t.feed THEN 'feed' ELSE 'export' END, now()
FROM build_targets t
WHERE EXISTS (SELECT FROM marts.listener_months m WHERE m.listener = t.listener)
ON CONFLICT (listener) DO UPDATE SET timezone = excluded.timezone, built_at = excluded.built_at
