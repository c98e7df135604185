-- What one build rebuilds: per listener, a UTC hour range (year 1 to 9999 for the whole listener),
-- its zone, whether they are a simulated user (no account plays to match), the end of the hours
-- built for them so far (marts.listeners.built_until; null: none), and the local dates of that
-- range in that zone, for the (listener, local_date) index. A listener's fact rows were built in
-- the zone they have now (a zone change rebuilds them whole), so these dates are exact: the last
-- one is the date of the range's last microsecond (UTC arithmetic keeps the expression immutable).
CREATE TEMPORARY TABLE build_targets (
    listener    text PRIMARY KEY,
    timezone    text NOT NULL,
    whole       boolean NOT NULL,
    feed        boolean NOT NULL,
    from_hour   timestamptz NOT NULL,
    to_hour     timestamptz NOT NULL,
    built_until timestamptz,
    from_date   date GENERATED ALWAYS AS ((from_hour AT TIME ZONE timezone)::date) STORED,
    to_date     date GENERATED ALWAYS AS (
        ((((to_hour AT TIME ZONE 'UTC') - interval '1 microsecond') AT TIME ZONE 'UTC') AT TIME ZONE timezone)::date
    ) STORED
) ON COMMIT DROP
