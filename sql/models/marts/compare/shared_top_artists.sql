-- The artists in both listeners' top 50 of a period (by streams, then name), best first by the sum of their two ranks, then name.
-- inputs: marts.listener_track_streams
-- Names in byte order, as Python sorts; tracks without an artist name are left out.
CREATE FUNCTION marts.shared_top_artists(a text, b text, date_from date, date_to date)
RETURNS TABLE (rank bigint, artist_name text, a_rank bigint, b_rank bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
WITH artists AS (
    SELECT s.listener, s.artist_name,
           row_number() OVER (PARTITION BY s.listener ORDER BY sum(s.streams) DESC, s.artist_name COLLATE "C") AS of_listener
    FROM (SELECT 'a' AS listener, t.artist_name, t.streams FROM marts.listener_track_streams(a, date_from, date_to) t
          UNION ALL
          SELECT 'b', t.artist_name, t.streams FROM marts.listener_track_streams(b, date_from, date_to) t) s
    WHERE s.artist_name IS NOT NULL
    GROUP BY s.listener, s.artist_name
),
tops AS (SELECT * FROM artists WHERE of_listener <= 50)
SELECT row_number() OVER (ORDER BY x.of_listener + y.of_listener, x.artist_name COLLATE "C"), x.artist_name,
       x.of_listener, y.of_listener
FROM tops x
JOIN tops y ON y.listener = 'b' AND y.artist_name = x.artist_name
WHERE x.listener = 'a'
ORDER BY 1
$$;
COMMENT ON FUNCTION marts.shared_top_artists(text, text, date, date) IS 'The artists in both listeners'' top 50 of a period by streams, ranked by the sum of their two ranks, then name.';
