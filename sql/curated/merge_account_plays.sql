-- Staged account-data plays into curated.plays, once each, except those extended history already
-- has (marked by mark_account_overlap.sql). The play key comes from loader.play_keys. Returns
-- the rows added per UTC month, whose curated partitions the loader marks dirty.
WITH inserted AS (
    INSERT INTO curated.play_rows (
        play_key, listener, source, media, is_video, ended_at, started_at, ms_played,
        minute_precision, track_name, artist_name, album_name, track_uri,
        episode_name, show_name, episode_uri, audiobook_title, audiobook_uri,
        chapter_title, chapter_uri, reason_start, reason_end, shuffle, skipped, offline,
        incognito_mode, platform, conn_country, file_id)
    SELECT
        s.play_key,
        %(listener)s::text, 'account', s.media, s.is_video,
        s.ended_at, s.ended_at - s.ms_played * interval '1 millisecond', s.ms_played,
        s.minute_precision, s.track_name, s.artist_name, s.album_name, s.track_uri,
        s.episode_name, s.show_name, s.episode_uri, s.audiobook_title, s.audiobook_uri,
        s.chapter_title, s.chapter_uri, s.reason_start, s.reason_end, s.shuffle, s.skipped,
        s.offline, s.incognito_mode, s.platform, s.conn_country,
        %(file_id)s::bigint
    FROM stage_plays s
    WHERE s.overlap IS NOT TRUE
    ON CONFLICT (listener, ended_at, play_key) DO NOTHING
    RETURNING ended_at
)
SELECT extract(year FROM ended_at AT TIME ZONE 'UTC')::int AS year,
       extract(month FROM ended_at AT TIME ZONE 'UTC')::int AS month,
       count(*) AS rows
FROM inserted
GROUP BY 1, 2
