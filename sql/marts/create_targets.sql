-- What one build rebuilds: per listener, a UTC hour range (year 1 to 9999 for the whole listener),
-- whether they are a simulated user (no account plays to match), and local dates that surely cover it in any zone (offsets stay within a day), for the date index.
CREATE TEMPORARY TABLE build_targets (
    listener  text PRIMARY KEY,
    timezone  text NOT NULL,
    whole     boolean NOT NULL,
    feed      boolean NOT NULL,
    from_hour timestamptz NOT NULL,
    to_hour   timestamptz NOT NULL,
    from_date date NOT NULL,
    to_date   date NOT NULL
) ON COMMIT DROP
