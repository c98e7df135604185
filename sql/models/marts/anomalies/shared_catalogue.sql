-- Per simulated account, how much of its listening sits on tracks that several accounts each play heavily (account rings).
-- inputs: marts.account_heavy_tracks
-- A track is heavy for an account at 2% or more of its plays (accounts with 50+ plays; the build
-- keeps them in marts.account_heavy_tracks); it is shared
-- when heavy for 2 accounts or more (a ring of two is still a ring). A popular track can be both for
-- ordinary listeners, and one artist's tracks for two of its super-fans, which is why this signal
-- alone never flags an account: the ring's catalogue also gives it few distinct tracks a day.
CREATE VIEW marts.shared_catalogue AS
WITH shared AS (
    SELECT track_uri, count(*) AS accounts FROM marts.account_heavy_tracks GROUP BY track_uri HAVING count(*) >= 2
)
SELECT h.listener, count(s.track_uri) AS shared_tracks, coalesce(max(s.accounts), 0) AS most_accounts,
       coalesce(sum(h.plays) FILTER (WHERE s.track_uri IS NOT NULL), 0)::float / max(h.total) AS shared_share
FROM marts.account_heavy_tracks h LEFT JOIN shared s USING (track_uri)
GROUP BY h.listener;
COMMENT ON VIEW marts.shared_catalogue IS 'Per simulated account, how much of its listening sits on tracks that several accounts each play heavily (account rings).';
COMMENT ON COLUMN marts.shared_catalogue.listener IS 'Simulated user (only those with a heavy track).';
COMMENT ON COLUMN marts.shared_catalogue.shared_tracks IS 'Its heavy tracks (2%+ of its plays) that are heavy for 2+ accounts.';
COMMENT ON COLUMN marts.shared_catalogue.most_accounts IS 'Most accounts sharing one of those tracks.';
COMMENT ON COLUMN marts.shared_catalogue.shared_share IS 'Share of its plays on those shared tracks.';
