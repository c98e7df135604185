INSERT INTO build_targets (listener, timezone, whole, from_hour, to_hour)
SELECT t.listener, coalesce(s.timezone, %(default_timezone)s), t.whole, t.from_hour, t.to_hour
FROM unnest(%(listeners)s::text[], %(whole)s::boolean[], %(from_hours)s::timestamptz[], %(to_hours)s::timestamptz[])
     AS t (listener, whole, from_hour, to_hour)
LEFT JOIN marts.listener_settings s USING (listener)
