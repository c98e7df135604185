-- The milliseconds a day's figure counts: its plays' time, at most 24 hours.
-- inputs:
-- Spotify counts plays that overlap (one account on several devices, plays an offline device
-- stamps with one time when it syncs, crossfades), and the lake counts them as Spotify does, so its
-- figures under Spotify's rules reproduce Spotify's own. A day still holds only 24 hours: every
-- figure of one day (the biggest day) reads its time through this cap, so no day shows more than
-- 1,440 minutes; totals, months and top lists keep every play's time.
CREATE FUNCTION marts.day_ms(ms numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT least(ms, 86400000) $$;
COMMENT ON FUNCTION marts.day_ms(numeric) IS 'A day''s time for the figures of one day: the sum of its plays, at most 86,400,000 ms (24 hours, 1,440 minutes).';
