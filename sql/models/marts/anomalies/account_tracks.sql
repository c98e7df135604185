-- Music plays and streams per simulated account and track, with the track's names (a build's fill): heavy tracks, an artist's top songs and suspicious share.
-- inputs: curated.play_rows, build_targets, new_feed_plays, marts.stream_min_ms
-- also writes: touched_tracks
-- passes: whole, hours
-- Into {account_tracks} (marts.account_tracks, or a full build's new partition). A listener
-- rebuilt whole is counted again; for hour ranges the plays that new feed files brought
-- (new_feed_plays) are merged into the counts in key order, so a new day costs that
-- day's plays, not the account's history. A listener rebuilt whole is grouped in byte order (C):
-- sorting millions of keys takes about half the time (as the fact's rows are sorted).
DELETE FROM {account_tracks} a
USING build_targets t
WHERE {whole} AND t.whole AND a.listener = t.listener;
-- One sort of the plays, grouped as they come out in key order: the planner would rather hash
-- them into groups and sort those again (a full build's share: 33 s to 25 s, both sorts on disk;
-- a new day's keys below likewise).
SET LOCAL enable_hashagg = off;
INSERT INTO {account_tracks} (listener, track_uri, plays, streams, artist_name, track_name)
SELECT p.listener COLLATE "C", p.track_uri COLLATE "C", count(*),
       count(*) FILTER (WHERE p.ms_played >= marts.stream_min_ms('music')), min(p.artist_name COLLATE "C"),
       min(p.track_name COLLATE "C")
FROM curated.play_rows p
JOIN build_targets t ON t.listener = p.listener
WHERE {whole} AND t.whole AND p.source = 'feed' AND p.media = 'music' AND p.track_uri IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2;
-- Each new key is looked up through the table's key, one by one: the planner would rather hash the
-- whole table (every account's tracks) for a day's keys, which took 2.6 times as long at a million plays.
-- The day's keys are grouped and ordered in byte order (C), as names are picked: half the time of
-- the database's collation (1.1 s to 0.6 s for 200,000 keys), the same order as the key's for
-- ASCII names, and for any other the lookups are still exact, only less often on the same page.
SET LOCAL enable_hashjoin = off;
SET LOCAL enable_mergejoin = off;
-- What the merge did, per key, for the heavy tracks and the track totals: the count it reached, the
-- streams it added, whether the key is new (a new listener of the track), the day's names.
CREATE TEMPORARY TABLE IF NOT EXISTS touched_tracks (
    listener text, track_uri text, plays integer, added_streams integer, new_key boolean, artist_name text,
    track_name text
) ON COMMIT DROP;
WITH merged AS (
    MERGE INTO {account_tracks} a
    USING (
        SELECT listener COLLATE "C" AS listener, track_uri COLLATE "C" AS track_uri, sum(plays) AS plays,
               sum(streams) AS streams, min(artist_name COLLATE "C") AS artist_name,
               min(track_name COLLATE "C") AS track_name
        FROM new_feed_plays
        WHERE NOT {whole} AND track_uri IS NOT NULL
        GROUP BY 1, 2
        ORDER BY 1, 2
    ) n ON a.listener = n.listener COLLATE "default" AND a.track_uri = n.track_uri COLLATE "default"
    WHEN MATCHED THEN UPDATE
        SET plays = a.plays + n.plays, streams = a.streams + n.streams,
            artist_name = least(a.artist_name COLLATE "C", n.artist_name),
            track_name = least(a.track_name COLLATE "C", n.track_name)
    WHEN NOT MATCHED THEN INSERT (listener, track_uri, plays, streams, artist_name, track_name)
        VALUES (n.listener, n.track_uri, n.plays, n.streams, n.artist_name, n.track_name)
    RETURNING a.listener, a.track_uri, a.plays, n.streams, merge_action() = 'INSERT', n.artist_name, n.track_name
)
INSERT INTO touched_tracks SELECT * FROM merged;
ANALYZE touched_tracks;
SET LOCAL enable_hashjoin = on;
SET LOCAL enable_mergejoin = on;
SET LOCAL enable_hashagg = on
