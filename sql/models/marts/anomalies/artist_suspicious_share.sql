-- Per artist of the simulated feed, its streams and the share of them by flagged accounts.
-- inputs: marts.account_tracks, curated.feed_users, marts.anomaly_scores
-- Streams (plays of 30 s or more, marts.stream_min_ms) per account and track as the build keeps
-- them (marts.account_tracks, indexed by artist: one artist's rows when one is asked for), beside
-- the few flagged accounts (MATERIALIZED: read once, hashed).
CREATE VIEW marts.artist_suspicious_share AS
WITH flagged AS MATERIALIZED (
    SELECT listener FROM marts.anomaly_scores WHERE flagged
)
SELECT a.artist_name, sum(a.streams)::bigint AS streams,
       coalesce(sum(a.streams) FILTER (WHERE f.listener IS NOT NULL), 0)::bigint AS suspicious_streams,
       round(coalesce(sum(a.streams) FILTER (WHERE f.listener IS NOT NULL), 0) / sum(a.streams)::numeric, 4)
           AS suspicious_share
FROM marts.account_tracks a
JOIN curated.feed_users u USING (listener)
LEFT JOIN flagged f USING (listener)
WHERE a.artist_name IS NOT NULL
GROUP BY a.artist_name
HAVING sum(a.streams) > 0;
COMMENT ON VIEW marts.artist_suspicious_share IS 'Per artist of the simulated feed, its streams and the share of them by flagged accounts.';
COMMENT ON COLUMN marts.artist_suspicious_share.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_suspicious_share.streams IS 'Plays of 30 s or more (marts.stream_min_ms).';
COMMENT ON COLUMN marts.artist_suspicious_share.suspicious_streams IS 'Of those, streams by accounts marts.anomaly_scores flags.';
COMMENT ON COLUMN marts.artist_suspicious_share.suspicious_share IS 'suspicious_streams / streams, 4 decimals.';
