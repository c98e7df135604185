-- What one build rebuilds: per listener, a UTC hour range (-infinity..infinity for the whole listener).
CREATE TEMPORARY TABLE build_targets (
    listener  text PRIMARY KEY,
    timezone  text NOT NULL,
    whole     boolean NOT NULL,
    from_hour timestamptz NOT NULL,
    to_hour   timestamptz NOT NULL
) ON COMMIT DROP
