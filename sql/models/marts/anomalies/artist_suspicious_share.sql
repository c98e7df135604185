-- Per artist of the simulated feed, its streams and the share of them by flagged accounts.
-- inputs: marts.hourly_plays, curated.feed_users, marts.anomaly_scores
-- Streams from the marts fact (counted_plays: the plays of 30 s or more, marts.stream_min_ms) of
-- the feed's users, summed per listener and artist before they meet the few flagged accounts
-- (MATERIALIZED: computed once, hashed).
CREATE VIEW marts.artist_suspicious_share AS
WITH streams AS MATERIALIZED (
    SELECT h.listener, h.artist_name, sum(h.counted_plays) AS streams
    FROM marts.hourly_plays h
    JOIN curated.feed_users u USING (listener)
    WHERE h.media = 'music' AND h.artist_name IS NOT NULL
    GROUP BY h.listener, h.artist_name
    HAVING sum(h.counted_plays) > 0
),
flagged AS MATERIALIZED (
    SELECT listener FROM marts.anomaly_scores WHERE flagged
)
SELECT s.artist_name, sum(s.streams)::bigint AS streams,
       coalesce(sum(s.streams) FILTER (WHERE f.listener IS NOT NULL), 0)::bigint AS suspicious_streams,
       round(coalesce(sum(s.streams) FILTER (WHERE f.listener IS NOT NULL), 0) / sum(s.streams), 4) AS suspicious_share
FROM streams s
LEFT JOIN flagged f USING (listener)
GROUP BY s.artist_name;
COMMENT ON VIEW marts.artist_suspicious_share IS 'Per artist of the simulated feed, its streams and the share of them by flagged accounts.';
COMMENT ON COLUMN marts.artist_suspicious_share.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_suspicious_share.streams IS 'Plays of 30 s or more (marts.stream_min_ms).';
COMMENT ON COLUMN marts.artist_suspicious_share.suspicious_streams IS 'Of those, streams by accounts marts.anomaly_scores flags.';
COMMENT ON COLUMN marts.artist_suspicious_share.suspicious_share IS 'suspicious_streams / streams, 4 decimals.';
