-- Simulated users of new feed files, each for the UTC hours those files brought plays for: a feed
-- file only adds plays, so only these hours are rebuilt. The BETWEEN lets the BRIN index on
-- (file_id, ended_at) skip every older block.
INSERT INTO build_targets (listener, timezone, whole, feed, from_hour, to_hour, built_until)
SELECT r.listener, coalesce(s.timezone, %(default_timezone)s), false,
       EXISTS (SELECT FROM curated.feed_users u WHERE u.listener = r.listener), r.from_hour, r.to_hour, l.built_until
FROM (
    SELECT listener, date_trunc('hour', min(ended_at)) AS from_hour,
           date_trunc('hour', max(ended_at)) + interval '1 hour' AS to_hour
    FROM curated.play_rows
    WHERE file_id BETWEEN %(first_id)s AND %(last_id)s
      AND file_id = ANY(%(file_ids)s)
    GROUP BY listener
) r
LEFT JOIN marts.listener_settings s USING (listener)
LEFT JOIN marts.listeners l USING (listener)
