-- Simulated users of new feed files, each for the UTC hours those files brought plays for (their
-- spans, recorded by the loader): a feed file only adds plays, so only these hours are rebuilt.
-- UTC hours as the fact bins them (insert_facts), whatever the session's zone.
INSERT INTO build_targets (listener, timezone, whole, feed, from_hour, to_hour, built_until)
SELECT r.listener, coalesce(s.timezone, %(default_timezone)s), false,
       EXISTS (SELECT FROM curated.feed_users u WHERE u.listener = r.listener), r.from_hour, r.to_hour, l.built_until
FROM (
    SELECT listener, date_bin('1 hour', min(first_ended_at), TIMESTAMPTZ '2000-01-01 00:00:00+00') AS from_hour,
           date_bin('1 hour', max(last_ended_at), TIMESTAMPTZ '2000-01-01 00:00:00+00') + interval '1 hour' AS to_hour
    FROM ingest.file_spans
    WHERE file_id = ANY(%(file_ids)s)
    GROUP BY listener
) r
LEFT JOIN marts.listener_settings s USING (listener)
LEFT JOIN marts.listeners l USING (listener)
