INSERT INTO marts.listener_months (listener, month, music_plays, streams, music_ms, podcast_plays, podcast_ms)
SELECT listener, month, music_plays, streams, music_ms, podcast_plays, podcast_ms FROM touched_months
ON CONFLICT (listener, month) DO UPDATE SET
    music_plays = marts.listener_months.music_plays + excluded.music_plays,
    streams = marts.listener_months.streams + excluded.streams,
    music_ms = marts.listener_months.music_ms + excluded.music_ms,
    podcast_plays = marts.listener_months.podcast_plays + excluded.podcast_plays,
    podcast_ms = marts.listener_months.podcast_ms + excluded.podcast_ms
