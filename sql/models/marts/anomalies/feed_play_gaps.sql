-- Every play of the simulated feed with the pause before it and after it: the raw material of the stream-farm signals.
-- inputs: curated.play_rows
-- Ordered per listener by start, then end. A negative gap_before_ms is a play that started before the
-- previous one ended: the simulator's listeners never do that, accounts played on several devices do.
CREATE VIEW marts.feed_play_gaps AS
SELECT p.listener, p.started_at, p.ended_at, p.ms_played, p.track_uri, p.artist_name, p.conn_country,
       (p.started_at AT TIME ZONE 'UTC')::date AS utc_day,
       (date_part('epoch', p.started_at - lag(p.ended_at) OVER w) * 1000)::bigint AS gap_before_ms,
       (date_part('epoch', lead(p.started_at) OVER w - p.ended_at) * 1000)::bigint AS gap_after_ms
FROM curated.play_rows p
WHERE p.source = 'feed' AND p.media = 'music'
WINDOW w AS (PARTITION BY p.listener ORDER BY p.started_at, p.ended_at);
COMMENT ON VIEW marts.feed_play_gaps IS 'Every play of the simulated feed with the pause before it and after it: the raw material of the stream-farm signals.';
COMMENT ON COLUMN marts.feed_play_gaps.listener IS 'Simulated user.';
COMMENT ON COLUMN marts.feed_play_gaps.started_at IS 'When the play started (end minus ms played).';
COMMENT ON COLUMN marts.feed_play_gaps.ended_at IS 'When the play ended.';
COMMENT ON COLUMN marts.feed_play_gaps.ms_played IS 'Milliseconds played.';
COMMENT ON COLUMN marts.feed_play_gaps.track_uri IS 'Track URI.';
COMMENT ON COLUMN marts.feed_play_gaps.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.feed_play_gaps.conn_country IS 'Country the play came from.';
COMMENT ON COLUMN marts.feed_play_gaps.utc_day IS 'UTC day the play started.';
COMMENT ON COLUMN marts.feed_play_gaps.gap_before_ms IS 'Start minus the previous play''s end, ms (negative: the plays overlap); null for the first play.';
COMMENT ON COLUMN marts.feed_play_gaps.gap_after_ms IS 'Next play''s start minus this end, ms; null for the last play.';
