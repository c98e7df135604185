-- Per artist of the simulated feed: the 5 most streamed songs.
-- inputs: marts.feed_plays
CREATE VIEW marts.artist_top_songs AS
SELECT artist_name, rank, track_name, streams, listeners
FROM (
    SELECT artist_name, min(track_name) AS track_name, sum(streams) AS streams, count(DISTINCT listener) AS listeners,
           row_number() OVER (PARTITION BY artist_name ORDER BY sum(streams) DESC, min(track_name) COLLATE "C") AS rank
    FROM marts.feed_plays
    GROUP BY artist_name, item_key
) ranked
WHERE rank <= 5;
COMMENT ON VIEW marts.artist_top_songs IS 'Per artist of the simulated feed: the 5 most streamed songs.';
COMMENT ON COLUMN marts.artist_top_songs.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_top_songs.rank IS '1 to 5, by streams then name.';
COMMENT ON COLUMN marts.artist_top_songs.track_name IS 'Track name.';
COMMENT ON COLUMN marts.artist_top_songs.streams IS 'Plays of 30 s or more.';
COMMENT ON COLUMN marts.artist_top_songs.listeners IS 'Distinct listeners.';
