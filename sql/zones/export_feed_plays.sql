-- Some UTC days of the simulated feed's plays, every listener, for their Parquet partitions
-- (the day is in the partition path); times as epoch ms, play keys as 32 hex digits.
COPY (
    SELECT replace(play_key::text, '-', '') AS play_key, source, media, is_video,
           (extract(epoch FROM p.ended_at) * 1000)::bigint AS ended_at,
           (extract(epoch FROM p.started_at) * 1000)::bigint AS started_at,
           ms_played, minute_precision, track_name, artist_name, album_name, track_uri,
           episode_name, show_name, episode_uri, audiobook_title, audiobook_uri,
           chapter_title, chapter_uri, reason_start, reason_end, shuffle, skipped, offline,
           incognito_mode, platform, conn_country, source_file, file_id, listener
    FROM curated.plays p
    WHERE p.source = 'feed'
      AND p.ended_at >= %(first)s
      AND p.ended_at < %(last)s::timestamptz + interval '1 day'
      AND date_trunc('day', p.ended_at, 'UTC') = ANY (%(days)s::timestamptz[])
    ORDER BY p.ended_at, p.play_key
) TO STDOUT (FORMAT csv, HEADER true)
