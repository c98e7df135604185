-- Each listener's top 5 artists per local calendar year, by music minutes, then name.
-- inputs: marts.hourly_plays
CREATE VIEW marts.top_artists AS
SELECT listener, year, rank, artist_name, minutes, streams
FROM (
    SELECT listener, extract(year FROM local_date)::int AS year, artist_name,
           round(sum(ms_played) / 60000.0, 2) AS minutes, sum(counted_plays)::bigint AS streams,
           row_number() OVER (PARTITION BY listener, extract(year FROM local_date)::int
                              ORDER BY sum(ms_played) DESC, artist_name COLLATE "C") AS rank
    FROM marts.hourly_plays
    WHERE media = 'music' AND artist_name IS NOT NULL
    GROUP BY listener, extract(year FROM local_date)::int, artist_name
    HAVING sum(ms_played) > 0
) ranked
WHERE rank <= 5;
COMMENT ON VIEW marts.top_artists IS 'Each listener''s top 5 artists per local calendar year, by music minutes, then name.';
COMMENT ON COLUMN marts.top_artists.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.top_artists.year IS 'Calendar year in the listener''s zone.';
COMMENT ON COLUMN marts.top_artists.rank IS '1 to 5.';
COMMENT ON COLUMN marts.top_artists.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.top_artists.minutes IS 'Minutes of the artist''s music that year, every play.';
COMMENT ON COLUMN marts.top_artists.streams IS 'Plays of 30 s or more.';
