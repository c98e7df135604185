-- Music and podcast plays, streams and milliseconds per listener and local month.
-- inputs: touched_months, build_targets
-- The new fact rows' sums (touched_months) added to {months} (marts.listener_months, or a full
-- build's new partition); then a month left without plays (e.g. a replaced account play) is no
-- month of the listener's. Only a listener rebuilt whole can lose plays: hour ranges (new feed
-- plays) only gain them.
INSERT INTO {months} AS m (listener, month, music_plays, streams, music_ms, podcast_plays, podcast_ms, last_hour)
SELECT listener, month, music_plays, streams, music_ms, podcast_plays, podcast_ms, last_hour FROM touched_months
ON CONFLICT (listener, month) DO UPDATE SET
    music_plays = m.music_plays + excluded.music_plays,
    streams = m.streams + excluded.streams,
    music_ms = m.music_ms + excluded.music_ms,
    podcast_plays = m.podcast_plays + excluded.podcast_plays,
    podcast_ms = m.podcast_ms + excluded.podcast_ms,
    last_hour = greatest(m.last_hour, excluded.last_hour);
DELETE FROM {months} m
USING build_targets t
WHERE m.listener = t.listener AND t.whole AND m.music_plays = 0 AND m.podcast_plays = 0
