-- Per artist of the simulated feed: the 5 most streamed songs.
-- inputs: marts.account_tracks, curated.feed_users, marts.flagged_listeners
-- Read from the plays and streams per account and track the build keeps (marts.account_tracks,
-- indexed by artist: one artist's rows, not every play); a listener of a song is an account with a
-- play of it. Flagged accounts are left out (marts.flagged_listeners; SET lake.include_flagged = on
-- counts them).
CREATE VIEW marts.artist_top_songs AS
SELECT artist_name, rank, track_name, streams, listeners
FROM (
    SELECT a.artist_name, min(a.track_name) AS track_name, sum(a.streams) AS streams, count(*) AS listeners,
           row_number() OVER (PARTITION BY a.artist_name ORDER BY sum(a.streams) DESC, min(a.track_name) COLLATE "C")
               AS rank
    FROM marts.account_tracks a
    JOIN curated.feed_users u USING (listener)
    WHERE a.listener NOT IN (SELECT listener FROM marts.flagged_listeners)
    GROUP BY a.artist_name, a.track_uri
) ranked
WHERE rank <= 5;
COMMENT ON VIEW marts.artist_top_songs IS 'Per artist of the simulated feed: the 5 most streamed songs.';
COMMENT ON COLUMN marts.artist_top_songs.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_top_songs.rank IS '1 to 5, by streams then name.';
COMMENT ON COLUMN marts.artist_top_songs.track_name IS 'Track name.';
COMMENT ON COLUMN marts.artist_top_songs.streams IS 'Plays of 30 s or more.';
COMMENT ON COLUMN marts.artist_top_songs.listeners IS 'Distinct listeners.';
