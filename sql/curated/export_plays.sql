-- One Parquet partition of curated.plays (listener, UTC year and month), times as epoch ms.
COPY (
    SELECT play_key::text, listener, source, media, is_video,
           floor(extract(epoch FROM ended_at) * 1000)::bigint AS ended_at,
           floor(extract(epoch FROM started_at) * 1000)::bigint AS started_at,
           ms_played, minute_precision, track_name, artist_name, album_name, track_uri,
           episode_name, show_name, episode_uri, audiobook_title, audiobook_uri,
           chapter_title, chapter_uri, reason_start, reason_end, shuffle, skipped, offline,
           incognito_mode, platform, conn_country, source_file, package, file_id
    FROM curated.plays
    WHERE listener = %(listener)s::text
      AND ended_at >= make_timestamptz(%(year)s::int, %(month)s::int, 1, 0, 0, 0, 'UTC')
      AND ended_at < make_timestamptz(%(year)s::int, %(month)s::int, 1, 0, 0, 0, 'UTC') + interval '1 month'
    ORDER BY ended_at, play_key
) TO STDOUT (FORMAT csv, HEADER true)
