-- Streams and listeners per track of the whole simulated feed, every account counted, with its names (a build's fill): an artist's top songs and suspicious share.
-- inputs: marts.account_tracks, build_targets, touched_tracks
-- also writes: track_sums
-- passes: whole, hours
-- Every account with feed plays is counted, flagged ones too; the artist views take their own
-- rows of marts.account_tracks out when they are read (a few hundred accounts, through its key),
-- so a flag that changes never leaves this table stale. For hour ranges what the day's merge of
-- the counts per account and track did (touched_tracks: the streams it added, and which keys are
-- new, each a new listener of its track) is merged in, in key order. When a listener with counts
-- was rebuilt whole (a full build, a zone change, a feed file read whole) every row is summed again
-- from marts.account_tracks, which then holds every account's counts, the day's too: the hours
-- pass then adds nothing. Names are compared in byte order (C), as in marts.account_tracks.
DELETE FROM marts.track_totals
WHERE {whole} AND EXISTS (
    SELECT FROM build_targets t WHERE t.whole AND EXISTS (SELECT FROM marts.account_tracks c WHERE c.listener = t.listener)
);
-- Summed into a temporary table first, as marts.weekly_track_streams is: a CREATE TABLE AS may read
-- in parallel, an INSERT never does.
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0.0001;
CREATE TEMPORARY TABLE track_sums ON COMMIT DROP AS
SELECT a.track_uri COLLATE "C" AS track_uri, min(a.artist_name COLLATE "C") AS artist_name,
       min(a.track_name COLLATE "C") AS track_name, sum(a.streams) AS streams, count(*) AS listeners
FROM marts.account_tracks a
WHERE {whole} AND EXISTS (
    SELECT FROM build_targets t WHERE t.whole AND EXISTS (SELECT FROM marts.account_tracks c WHERE c.listener = t.listener)
)
GROUP BY 1;
SET LOCAL parallel_setup_cost = DEFAULT;
SET LOCAL parallel_tuple_cost = DEFAULT;
INSERT INTO marts.track_totals (track_uri, artist_name, track_name, streams, listeners)
SELECT track_uri, artist_name, track_name, streams, listeners FROM track_sums ORDER BY track_uri;
DROP TABLE track_sums;
-- marts.account_tracks' fill makes this table; a full build's last session, which has none, reads it empty.
CREATE TEMPORARY TABLE IF NOT EXISTS touched_tracks (
    listener text, track_uri text, plays integer, added_streams integer, new_key boolean, artist_name text,
    track_name text
) ON COMMIT DROP;
MERGE INTO marts.track_totals t
USING (
    SELECT k.track_uri COLLATE "C" AS track_uri, min(k.artist_name COLLATE "C") AS artist_name,
           min(k.track_name COLLATE "C") AS track_name, sum(k.added_streams) AS streams,
           count(*) FILTER (WHERE k.new_key) AS listeners
    FROM touched_tracks k
    WHERE NOT {whole}
      AND NOT EXISTS (
          SELECT FROM build_targets t
          WHERE t.whole AND EXISTS (SELECT FROM marts.account_tracks c WHERE c.listener = t.listener)
      )
    GROUP BY 1
    ORDER BY 1
) n ON t.track_uri = n.track_uri COLLATE "default"
WHEN MATCHED THEN UPDATE
    SET streams = t.streams + n.streams, listeners = t.listeners + n.listeners,
        artist_name = least(t.artist_name COLLATE "C", n.artist_name),
        track_name = least(t.track_name COLLATE "C", n.track_name)
WHEN NOT MATCHED THEN INSERT (track_uri, artist_name, track_name, streams, listeners)
    VALUES (n.track_uri, n.artist_name, n.track_name, n.streams, n.listeners)
