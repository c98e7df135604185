-- Whether the charts, artist and population views count the streams of flagged accounts: the session's lake.include_flagged (default off).
-- inputs:
-- The one switch: `SET lake.include_flagged = on` (or SET LOCAL, or a role's or database's
-- setting) puts flagged accounts back in marts.feed_plays and every view that reads it;
-- unset, empty or off leaves them out. Read with current_setting(..., true): unset is no error.
CREATE FUNCTION marts.include_flagged() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(nullif(current_setting('lake.include_flagged', true), '')::boolean, false) $$;
COMMENT ON FUNCTION marts.include_flagged() IS 'True when the session set lake.include_flagged = on: the charts, artist and population views then count flagged accounts'' streams (left out by default).';
