-- Staged plays into curated.plays, once each. The play key is the identity of a real play:
-- listener, source, end time, ms played and the item (URI and names; reasons and video flag
-- for sources with second precision), so exact duplicates and re-downloads collapse.
WITH inserted AS (
    INSERT INTO curated.plays (
        play_key, listener, source, media, is_video, ended_at, started_at, ms_played,
        minute_precision, track_name, artist_name, album_name, track_uri,
        episode_name, show_name, episode_uri, audiobook_title, audiobook_uri,
        chapter_title, chapter_uri, reason_start, reason_end, shuffle, skipped, offline,
        incognito_mode, platform, conn_country, source_file, package, file_id)
    SELECT
        md5(concat_ws(chr(31),
            %(listener)s::text, %(source)s::text,
            floor(extract(epoch FROM s.ended_at) * 1000)::bigint, s.ms_played,
            coalesce(s.artist_name, s.show_name, s.audiobook_title, ''),
            coalesce(s.track_name, s.episode_name, s.chapter_title, ''),
            CASE WHEN %(source)s::text <> 'account' THEN concat_ws(chr(31),
                s.is_video,
                coalesce(s.track_uri, s.episode_uri, s.chapter_uri, s.audiobook_uri, ''),
                coalesce(s.reason_start, ''), coalesce(s.reason_end, ''))
            END))::uuid,
        %(listener)s::text, %(source)s::text, s.media, s.is_video, s.ended_at,
        s.ended_at - s.ms_played * interval '1 millisecond', s.ms_played,
        s.minute_precision, s.track_name, s.artist_name, s.album_name, s.track_uri,
        s.episode_name, s.show_name, s.episode_uri, s.audiobook_title, s.audiobook_uri,
        s.chapter_title, s.chapter_uri, s.reason_start, s.reason_end, s.shuffle, s.skipped,
        s.offline, s.incognito_mode, s.platform, s.conn_country,
        %(source_file)s::text, %(package)s::text, %(file_id)s::bigint
    FROM stage_plays s
    WHERE s.overlap IS NOT TRUE
    ON CONFLICT (play_key) DO NOTHING
    RETURNING ended_at
), dirty AS (
    INSERT INTO ingest.dirty_partitions (dataset, listener, year, month)
    SELECT DISTINCT 'plays', %(listener)s::text,
           extract(year FROM ended_at AT TIME ZONE 'UTC')::int,
           extract(month FROM ended_at AT TIME ZONE 'UTC')::int
    FROM inserted
    ON CONFLICT (dataset, listener, year, month)
    DO UPDATE SET generation = nextval('ingest.dirty_generation')
)
SELECT count(*) FROM inserted
