-- Per artist of the simulated feed: the 5 most streamed songs.
-- inputs: marts.track_totals, marts.account_tracks, marts.flagged_listeners
-- Read from the streams and listeners per track the build keeps for the whole feed
-- (marts.track_totals, indexed by artist: one artist's tracks, not every play), less the flagged
-- accounts' own (their rows of marts.account_tracks, read through its key); a listener of a song
-- is an account with a play of it. Flagged accounts are left out (marts.flagged_listeners; SET
-- lake.include_flagged = on counts them).
CREATE VIEW marts.artist_top_songs AS
WITH flagged AS (
    SELECT a.track_uri, sum(a.streams) AS streams, count(*) AS listeners
    FROM marts.account_tracks a
    WHERE a.listener IN (SELECT listener FROM marts.flagged_listeners)
    GROUP BY a.track_uri
)
SELECT artist_name, rank, track_name, streams, listeners
FROM (
    SELECT t.artist_name, t.track_name, t.streams - coalesce(f.streams, 0) AS streams,
           t.listeners - coalesce(f.listeners, 0) AS listeners,
           row_number() OVER (PARTITION BY t.artist_name
                              ORDER BY t.streams - coalesce(f.streams, 0) DESC, t.track_name COLLATE "C") AS rank
    FROM marts.track_totals t
    LEFT JOIN flagged f USING (track_uri)
    WHERE t.listeners - coalesce(f.listeners, 0) > 0
) ranked
WHERE rank <= 5;
COMMENT ON VIEW marts.artist_top_songs IS 'Per artist of the simulated feed: the 5 most streamed songs.';
COMMENT ON COLUMN marts.artist_top_songs.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_top_songs.rank IS '1 to 5, by streams then name.';
COMMENT ON COLUMN marts.artist_top_songs.track_name IS 'Track name.';
COMMENT ON COLUMN marts.artist_top_songs.streams IS 'Plays of 30 s or more.';
COMMENT ON COLUMN marts.artist_top_songs.listeners IS 'Distinct listeners.';
