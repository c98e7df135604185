-- Music plays per simulated account and track (a build's fill): which tracks are heavy for an account.
-- inputs: curated.play_rows, build_targets, new_feed_plays
-- passes: whole, hours
-- Into {account_tracks} (marts.account_tracks, or a full build's new partition). A listener
-- rebuilt whole is counted again; for hour ranges the plays that new feed files brought
-- (new_feed_plays) are added to the counts, so a new day costs that day's plays, not the
-- account's history. A listener rebuilt whole is grouped in byte order (C): sorting millions of
-- keys takes about half the time (as the fact's rows are sorted).
DELETE FROM {account_tracks} a
USING build_targets t
WHERE {whole} AND t.whole AND a.listener = t.listener;
INSERT INTO {account_tracks} (listener, track_uri, plays)
SELECT p.listener COLLATE "C", p.track_uri COLLATE "C", count(*)
FROM curated.play_rows p
JOIN build_targets t ON t.listener = p.listener
WHERE {whole} AND t.whole AND p.source = 'feed' AND p.media = 'music' AND p.track_uri IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2;
WITH new AS MATERIALIZED (
    SELECT listener, track_uri, sum(plays) AS plays
    FROM new_feed_plays
    WHERE NOT {whole} AND track_uri IS NOT NULL
    GROUP BY 1, 2
),
counted AS (
    UPDATE {account_tracks} a SET plays = a.plays + n.plays
    FROM new n
    WHERE a.listener = n.listener AND a.track_uri = n.track_uri
)
-- Keys the table did not hold: the statement's snapshot is from before the update above.
INSERT INTO {account_tracks} (listener, track_uri, plays)
SELECT n.listener, n.track_uri, n.plays
FROM new n
WHERE NOT EXISTS (SELECT FROM {account_tracks} a WHERE a.listener = n.listener AND a.track_uri = n.track_uri)
