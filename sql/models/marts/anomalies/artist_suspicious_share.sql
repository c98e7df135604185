-- Per artist of the simulated feed, its streams and the share of them by flagged accounts.
-- inputs: marts.track_totals, marts.account_tracks, marts.anomaly_scores
-- Streams (plays of 30 s or more, marts.stream_min_ms) per track over every account as the build
-- keeps them (marts.track_totals, indexed by artist: one artist's tracks when one is asked for),
-- beside the few flagged accounts' own (their rows of marts.account_tracks, read through its key),
-- each track counted for the artist marts.track_totals names.
CREATE VIEW marts.artist_suspicious_share AS
WITH suspicious AS (
    SELECT a.track_uri, sum(a.streams) AS streams
    FROM marts.account_tracks a
    WHERE a.listener IN (SELECT listener FROM marts.anomaly_scores WHERE flagged)
    GROUP BY a.track_uri
)
SELECT t.artist_name, sum(t.streams)::bigint AS streams, coalesce(sum(s.streams), 0)::bigint AS suspicious_streams,
       round(coalesce(sum(s.streams), 0) / sum(t.streams)::numeric, 4) AS suspicious_share
FROM marts.track_totals t
LEFT JOIN suspicious s USING (track_uri)
WHERE t.artist_name IS NOT NULL
GROUP BY t.artist_name
HAVING sum(t.streams) > 0;
COMMENT ON VIEW marts.artist_suspicious_share IS 'Per artist of the simulated feed, its streams and the share of them by flagged accounts.';
COMMENT ON COLUMN marts.artist_suspicious_share.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_suspicious_share.streams IS 'Plays of 30 s or more (marts.stream_min_ms).';
COMMENT ON COLUMN marts.artist_suspicious_share.suspicious_streams IS 'Of those, streams by accounts marts.anomaly_scores flags.';
COMMENT ON COLUMN marts.artist_suspicious_share.suspicious_share IS 'suspicious_streams / streams, 4 decimals.';
