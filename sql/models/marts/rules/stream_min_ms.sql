-- The shortest play that counts, in ms: 30 s for music (Spotify's stream), 60 s for podcasts.
-- inputs:
-- The one place of the rule: the fact counts plays with it (counted_plays, ms_counted), and every
-- figure of streams or of Spotify-window minutes reads those columns. Immutable SQL, inlined.
CREATE FUNCTION marts.stream_min_ms(media text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE media WHEN 'music' THEN 30000 ELSE 60000 END $$;
COMMENT ON FUNCTION marts.stream_min_ms(text) IS 'The shortest play that counts as a stream, in ms: 30,000 for music, 60,000 for podcasts.';
