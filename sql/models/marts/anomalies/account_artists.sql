-- Music streams per simulated account and artist (a build's fill): each artist's share of streams by flagged accounts.
-- inputs: curated.play_rows, build_targets, new_feed_plays, marts.stream_min_ms
-- passes: whole, hours
-- Into {account_artists} (marts.account_artists, or a full build's new partition). A listener
-- rebuilt whole is counted again; for hour ranges the streams that new feed files brought
-- (new_feed_plays) are added, so a new day costs that day's plays, not the account's history.
DELETE FROM {account_artists} a
USING build_targets t
WHERE {whole} AND t.whole AND a.listener = t.listener;
INSERT INTO {account_artists} (listener, artist_name, streams)
SELECT p.listener, p.artist_name, count(*)
FROM curated.play_rows p
JOIN build_targets t ON t.listener = p.listener
WHERE {whole} AND t.whole AND p.source = 'feed' AND p.media = 'music' AND p.artist_name IS NOT NULL
  AND p.ms_played >= marts.stream_min_ms('music')
GROUP BY 1, 2
ORDER BY 1, 2;
WITH new AS MATERIALIZED (
    SELECT listener, artist_name, sum(streams) AS streams
    FROM new_feed_plays
    WHERE NOT {whole} AND artist_name IS NOT NULL
    GROUP BY 1, 2
    HAVING sum(streams) > 0
),
counted AS (
    UPDATE {account_artists} a SET streams = a.streams + n.streams
    FROM new n
    WHERE a.listener = n.listener AND a.artist_name = n.artist_name
)
-- Keys the table did not hold: the statement's snapshot is from before the update above.
INSERT INTO {account_artists} (listener, artist_name, streams)
SELECT n.listener, n.artist_name, n.streams
FROM new n
WHERE NOT EXISTS (SELECT FROM {account_artists} a WHERE a.listener = n.listener AND a.artist_name = n.artist_name)
