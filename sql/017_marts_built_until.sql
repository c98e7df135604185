-- An incremental build first deletes the fact rows of the hours it rebuilds. For a new feed day
-- there are none, yet finding that out walked the fact's date index once per simulated user. Each
-- listener now carries an upper bound of the hours built for them (the hour after their last fact
-- row), kept per month (so a full build gets it from its own shares) and per listener (read by the
-- next build in one join): hours from that bound on have nothing to delete.
ALTER TABLE marts.listener_months ADD COLUMN last_hour timestamptz;
COMMENT ON COLUMN marts.listener_months.last_hour IS 'At or after the end of the UTC hour of the month''s last fact row (an upper bound: deleting rows does not lower it).';
UPDATE marts.listener_months m
SET last_hour = h.last_hour
FROM (
    SELECT listener, date_trunc('month', local_date)::date AS month, max(utc_hour) + interval '1 hour' AS last_hour
    FROM marts.hourly_plays
    GROUP BY 1, 2
) h
WHERE m.listener = h.listener AND m.month = h.month;
-- The partitions' own copy of the column gets the comment too (it is not inherited).
DO $$
DECLARE
    part regclass;
BEGIN
    FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'marts.listener_months'::regclass LOOP
        EXECUTE format('COMMENT ON COLUMN %s.last_hour IS %L', part, (
            SELECT col_description(attrelid, attnum) FROM pg_attribute
            WHERE attrelid = 'marts.listener_months'::regclass AND attname = 'last_hour'));
    END LOOP;
END
$$;

ALTER TABLE marts.listeners ADD COLUMN built_until timestamptz;
COMMENT ON COLUMN marts.listeners.built_until IS 'At or after the end of the UTC hour of the listener''s last fact row: later hours have nothing to delete when rebuilt.';
UPDATE marts.listeners l
SET built_until = (SELECT max(m.last_hour) FROM marts.listener_months m WHERE m.listener = l.listener);
