INSERT INTO build_targets (listener, timezone, whole, feed, from_hour, to_hour, from_date, to_date)
SELECT t.listener, coalesce(s.timezone, %(default_timezone)s), t.whole,
       EXISTS (SELECT FROM curated.feed_users u WHERE u.listener = t.listener), t.from_hour, t.to_hour,
       (t.from_hour AT TIME ZONE 'UTC')::date - 1, (t.to_hour AT TIME ZONE 'UTC')::date + 1
FROM unnest(%(listeners)s::text[], %(whole)s::boolean[], %(from_hours)s::timestamptz[], %(to_hours)s::timestamptz[])
     AS t (listener, whole, from_hour, to_hour)
LEFT JOIN marts.listener_settings s USING (listener)
