-- Each listener's first stream of each artist over their whole history (new artists of a year).
-- inputs: marts.hourly_plays
CREATE VIEW marts.artist_firsts AS
SELECT listener, artist_name, min(local_date) AS first_stream_date
FROM marts.hourly_plays
WHERE media = 'music' AND counted_plays > 0 AND artist_name IS NOT NULL
GROUP BY listener, artist_name;
COMMENT ON VIEW marts.artist_firsts IS 'Each listener''s first stream of each artist over their whole history (new artists of a year).';
COMMENT ON COLUMN marts.artist_firsts.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.artist_firsts.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_firsts.first_stream_date IS 'Local date of the first stream (music play of 30 s or more) of this artist.';
