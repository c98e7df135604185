-- The milliseconds a Wrapped window counts of fact rows: every play, or under Spotify's rules only the plays that count.
-- inputs:
CREATE FUNCTION marts.window_ms(spotify_rules boolean, ms_played bigint, ms_counted bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN spotify_rules THEN ms_counted ELSE ms_played END $$;
COMMENT ON FUNCTION marts.window_ms(boolean, bigint, bigint) IS 'Milliseconds a window counts: ms_played (calendar rules), or ms_counted (Spotify''s rules: plays of at least marts.stream_min_ms).';
