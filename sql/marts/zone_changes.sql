-- Listeners whose effective zone (their own, else LAKE_TIMEZONE) differs from the one they were built in.
SELECT l.listener
FROM marts.listeners l
LEFT JOIN marts.listener_settings s USING (listener)
WHERE l.timezone <> coalesce(s.timezone, %(default_timezone)s)
