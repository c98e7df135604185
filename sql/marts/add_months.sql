-- touched_months added to the monthly totals ({months}: marts.listener_months, or a full build's new partition).
INSERT INTO {months} AS m (listener, month, music_plays, streams, music_ms, podcast_plays, podcast_ms, last_hour)
SELECT listener, month, music_plays, streams, music_ms, podcast_plays, podcast_ms, last_hour FROM touched_months
ON CONFLICT (listener, month) DO UPDATE SET
    music_plays = m.music_plays + excluded.music_plays,
    streams = m.streams + excluded.streams,
    music_ms = m.music_ms + excluded.music_ms,
    podcast_plays = m.podcast_plays + excluded.podcast_plays,
    podcast_ms = m.podcast_ms + excluded.podcast_ms,
    last_hour = greatest(m.last_hour, excluded.last_hour)
