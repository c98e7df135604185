-- Simulated users of new feed files, each for the UTC hours those files brought plays for (their
-- spans, recorded by the loader): a feed file only adds plays, so only these hours are rebuilt.
-- UTC hours as the fact has them (marts.utc_hour).
INSERT INTO build_targets (listener, timezone, whole, feed, from_hour, to_hour, built_until)
SELECT r.listener, coalesce(s.timezone, %(default_timezone)s), false,
       EXISTS (SELECT FROM curated.feed_users u WHERE u.listener = r.listener), r.from_hour, r.to_hour, l.built_until
FROM (
    SELECT listener, marts.utc_hour(min(first_ended_at)) AS from_hour,
           marts.utc_hour(max(last_ended_at)) + interval '1 hour' AS to_hour
    FROM ingest.file_spans
    WHERE file_id = ANY(%(file_ids)s)
    GROUP BY listener
) r
LEFT JOIN marts.listener_settings s USING (listener)
LEFT JOIN marts.listeners l USING (listener)
