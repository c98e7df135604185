-- One listener's streams per week and artist, with the artist's share of the week's streams.
-- inputs: marts.hourly_plays
-- Weeks are Monday weeks of local dates (the first and last may be cut by date_from and date_to);
-- only weeks with streams have rows. Streams without an artist name count in no week. Phases
-- (reports/insights.py) and obsessions read it.
CREATE FUNCTION marts.weekly_artist_shares(listener text, date_from date, date_to date)
RETURNS TABLE (week date, artist_name text, streams bigint, week_streams bigint, share double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
SELECT a.week, a.artist_name, a.streams, sum(a.streams) OVER (PARTITION BY a.week)::bigint,
       a.streams::double precision / sum(a.streams) OVER (PARTITION BY a.week)
FROM (
    SELECT date_trunc('week', h.local_date::timestamp)::date AS week, h.artist_name, sum(h.counted_plays)::bigint AS streams
    FROM marts.hourly_plays h
    WHERE h.listener = weekly_artist_shares.listener AND h.local_date BETWEEN date_from AND date_to
      AND h.media = 'music' AND h.counted_plays > 0 AND h.artist_name IS NOT NULL
    GROUP BY 1, 2
) a
$$;
COMMENT ON FUNCTION marts.weekly_artist_shares(text, date, date) IS 'One listener''s streams per Monday week (local dates) and artist, with the artist''s share of the week''s streams.';
