-- Returns a row only when the zone is new or different.
INSERT INTO marts.listener_settings (listener, timezone) VALUES (%(listener)s, %(timezone)s)
ON CONFLICT (listener) DO UPDATE SET timezone = excluded.timezone, set_at = now()
WHERE marts.listener_settings.timezone IS DISTINCT FROM excluded.timezone
