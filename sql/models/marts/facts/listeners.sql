-- Every listener the marts hold: their zone, where their plays came from and how far they are built.
-- inputs: build_targets, touched_months, marts.listener_months
-- Targets with plays become (or stay) listeners, stamped with the zone they were built in and the
-- end of the hours built for them: this build's last fact hour for a listener rebuilt whole, else
-- the later of that and what they had. A listener rebuilt whole may have no plays left (hour
-- ranges only gain plays).
WITH gone AS (
    DELETE FROM marts.listeners l
    USING build_targets t
    WHERE l.listener = t.listener AND t.whole
      AND NOT EXISTS (SELECT FROM marts.listener_months m WHERE m.listener = t.listener)
),
built AS (
    SELECT listener, max(last_hour) AS last_hour FROM touched_months GROUP BY listener
)
INSERT INTO marts.listeners (listener, timezone, source, built_at, built_until)
SELECT t.listener, t.timezone, CASE WHEN t.feed THEN 'feed' ELSE 'export' END, now(),
       CASE WHEN t.whole THEN b.last_hour ELSE greatest(t.built_until, b.last_hour) END
FROM build_targets t
LEFT JOIN built b USING (listener)
-- Months this build wrote, or (rebuilt nothing countable) months from before.
WHERE b.listener IS NOT NULL OR EXISTS (SELECT FROM marts.listener_months m WHERE m.listener = t.listener)
ON CONFLICT (listener) DO UPDATE
SET timezone = excluded.timezone, built_at = excluded.built_at, built_until = excluded.built_until
