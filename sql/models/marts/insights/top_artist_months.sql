-- One listener's top 5 artists of a period (by music minutes, then name: the calendar Wrapped's) with their streams per local month (ListenBrainz's year in music).
-- inputs: marts.listener_day_artists
-- Ranked as marts.window_top_artists ranks the calendar window (every play's minutes, artists
-- with minutes only), from the daily sums the build keeps; only months with plays of the artist
-- have rows (month 1 to 12 of the local date).
CREATE FUNCTION marts.top_artist_months(listener text, date_from date, date_to date)
RETURNS TABLE (rank bigint, artist_name text, month integer, streams bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
WITH days AS (
    SELECT a.artist_name, a.local_date, a.streams, a.ms_played
    FROM marts.listener_day_artists a
    WHERE a.listener = top_artist_months.listener AND a.local_date BETWEEN date_from AND date_to
),
top AS (
    SELECT d.artist_name, row_number() OVER (ORDER BY sum(d.ms_played) DESC, d.artist_name COLLATE "C") AS rank
    FROM days d
    GROUP BY d.artist_name
    HAVING sum(d.ms_played) > 0
)
SELECT t.rank, t.artist_name, extract(month FROM d.local_date)::integer, sum(d.streams)::bigint
FROM top t
JOIN days d USING (artist_name)
WHERE t.rank <= 5
GROUP BY 1, 2, 3
ORDER BY 1, 3
$$;
COMMENT ON FUNCTION marts.top_artist_months(text, date, date) IS 'One listener''s top 5 artists of a period (music minutes, then name) with their streams per local month.';
