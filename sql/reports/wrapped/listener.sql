-- The listener's zone and the local years with plays (for the error that names them).
-- inputs: marts.listeners, marts.listener_months
-- keys: timezone
SELECT l.timezone, array_agg(DISTINCT extract(year FROM m.month)::int ORDER BY extract(year FROM m.month)::int)
FROM marts.listeners l
JOIN marts.listener_months m USING (listener)
WHERE l.listener = %(listener)s
GROUP BY l.timezone
