-- Start of the UTC hour the moment falls in, whatever the session's zone.
-- inputs:
-- The UTC hour a moment falls in: one definition for the fact's hours (insert_facts) and the hours
-- a build rebuilds (feed_targets), which must agree. Binned from a UTC origin, so the server's zone
-- does not matter (date_trunc cuts hours in the session's zone: at half past on a server in India).
-- A plain SQL expression, immutable, so the planner inlines it.
CREATE FUNCTION marts.utc_hour(at timestamptz) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT date_bin('1 hour', at, TIMESTAMPTZ '2000-01-01 00:00:00+00') $$;
COMMENT ON FUNCTION marts.utc_hour(timestamptz) IS 'Start of the UTC hour the moment falls in, whatever the session''s zone.';
