-- Listeners rebuilt whole: the ones given (owners of new export files, which may replace or match
-- plays anywhere in time; every listener on a full build) and every listener whose effective zone
-- (their own, else LAKE_TIMEZONE) differs from the one they were built in (zone_changes: not in the
-- shares of a full build, which take only their own listeners).
INSERT INTO build_targets (listener, timezone, whole, feed, from_hour, to_hour)
SELECT w.listener, coalesce(s.timezone, %(default_timezone)s), true,
       EXISTS (SELECT FROM curated.feed_users u WHERE u.listener = w.listener), %(from_hour)s, %(to_hour)s
FROM (
    SELECT unnest(%(listeners)s::text[])
    UNION
    SELECT l.listener
    FROM marts.listeners l
    LEFT JOIN marts.listener_settings z USING (listener)
    WHERE %(zone_changes)s AND l.timezone <> coalesce(z.timezone, %(default_timezone)s)
) AS w (listener)
LEFT JOIN marts.listener_settings s USING (listener)
ON CONFLICT (listener) DO UPDATE SET whole = true, from_hour = excluded.from_hour, to_hour = excluded.to_hour
