-- One listener's streams per week and artist, with the artist's share of the week's streams.
-- inputs: marts.listener_day_artists
-- Summed from the daily streams per artist the build keeps (marts.listener_day_artists). Weeks are Monday weeks of local dates (the first and last may be cut by date_from and date_to);
-- only weeks with streams have rows. Streams without an artist name count in no week. Phases
-- (reports/insights.py) and obsessions read it.
CREATE FUNCTION marts.weekly_artist_shares(listener text, date_from date, date_to date)
RETURNS TABLE (week date, artist_name text, streams bigint, week_streams bigint, share double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
SELECT a.week, a.artist_name, a.streams, sum(a.streams) OVER (PARTITION BY a.week)::bigint,
       a.streams::double precision / sum(a.streams) OVER (PARTITION BY a.week)
FROM (
    SELECT date_trunc('week', d.local_date::timestamp)::date AS week, d.artist_name, sum(d.streams)::bigint AS streams
    FROM marts.listener_day_artists d
    WHERE d.listener = weekly_artist_shares.listener AND d.local_date BETWEEN date_from AND date_to AND d.streams > 0
    GROUP BY 1, 2
) a
$$;
COMMENT ON FUNCTION marts.weekly_artist_shares(text, date, date) IS 'One listener''s streams per Monday week (local dates) and artist, with the artist''s share of the week''s streams.';
