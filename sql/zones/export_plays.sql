-- Some months (UTC) of one listener's plays, for their Parquet partitions (the listener is in the
-- partition path); times as epoch ms, play keys as 32 hex digits (curated.hex_keys).
COPY (
    SELECT replace(play_key::text, '-', '') AS play_key, source, media, is_video,
           (extract(epoch FROM p.ended_at) * 1000)::bigint AS ended_at,
           (extract(epoch FROM p.started_at) * 1000)::bigint AS started_at,
           ms_played, minute_precision, track_name, artist_name, album_name, track_uri,
           episode_name, show_name, episode_uri, audiobook_title, audiobook_uri,
           chapter_title, chapter_uri, reason_start, reason_end, shuffle, skipped, offline,
           incognito_mode, platform, conn_country, source_file, file_id
    FROM curated.plays p
    -- One primary-key range over the span, already in output order, filtered by month; a join
    -- against the month list tempts the planner into a nested loop or a sort of every row.
    WHERE p.listener = %(listener)s::text
      AND p.source <> 'feed'  -- feed plays are published by day (export_feed_plays.sql)
      AND p.ended_at >= %(first)s
      AND p.ended_at < %(last)s::timestamptz + interval '1 month'
      AND date_trunc('month', p.ended_at, 'UTC') = ANY (%(months)s::timestamptz[])
    ORDER BY p.ended_at, p.play_key
) TO STDOUT (FORMAT csv, HEADER true)
