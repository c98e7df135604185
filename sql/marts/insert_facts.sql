-- The fact from curated plays: private sessions left out (account data has no flag: NULL counts),
-- local dates and hours in each listener's zone, and account plays (no URI) given the URI that
-- the same listener's extended history, library or playlists give the same artist and track.
WITH names AS (
    SELECT listener, artist_name, track_name, min(uri) AS uri
    FROM (
        SELECT p.listener, p.artist_name, p.track_name, p.track_uri AS uri
        FROM curated.play_rows p JOIN build_targets t USING (listener)
        WHERE NOT t.feed AND p.source = 'extended' AND p.track_uri IS NOT NULL
        UNION ALL
        SELECT l.listener, l.artist_name, l.name, l.uri
        FROM curated.library_items l JOIN build_targets t USING (listener)
        WHERE NOT t.feed AND l.item_type = 'track' AND l.uri LIKE 'spotify:track:%%'
        UNION ALL
        SELECT i.listener, i.artist_name, i.track_name, i.uri
        FROM curated.playlist_items i JOIN build_targets t USING (listener)
        WHERE NOT t.feed AND i.item_type = 'track' AND i.uri LIKE 'spotify:track:%%'
    ) known
    WHERE artist_name IS NOT NULL AND track_name IS NOT NULL
    GROUP BY 1, 2, 3
),
plays AS (
    SELECT p.listener, p.media, p.ms_played, p.ended_at, p.track_name, p.artist_name, p.album_name,
           coalesce(p.show_name, p.episode_name) AS show_name, p.skipped, p.reason_end,
           coalesce(p.track_uri, n.uri) AS track_uri,
           p.ended_at AT TIME ZONE t.timezone AS local_end
    FROM curated.play_rows p
    JOIN build_targets t ON t.listener = p.listener AND p.ended_at >= t.from_hour AND p.ended_at < t.to_hour
    LEFT JOIN names n ON p.source = 'account' AND p.track_uri IS NULL AND n.listener = p.listener
                     AND n.artist_name = p.artist_name AND n.track_name = p.track_name
    WHERE p.incognito_mode IS NOT TRUE AND p.media IN ('music', 'podcast')
)
INSERT INTO marts.hourly_plays (listener, utc_hour, local_date, local_hour, media, item_key, track_name,
                                artist_name, album_name, plays, counted_plays, ms_played, ms_counted,
                                skips, skip_known, first_ended_at)
SELECT listener, date_trunc('hour', ended_at), local_end::date, extract(hour FROM local_end)::smallint, media,
       CASE WHEN media = 'podcast' THEN coalesce(show_name, '')
            ELSE coalesce(track_uri, 'names:' || coalesce(artist_name, '') || E'\t' || coalesce(track_name, '')) END,
       min(track_name), min(artist_name), min(album_name),
       count(*),
       count(*) FILTER (WHERE ms_played >= CASE media WHEN 'music' THEN 30000 ELSE 60000 END),
       sum(ms_played),
       coalesce(sum(ms_played) FILTER (WHERE ms_played >= CASE media WHEN 'music' THEN 30000 ELSE 60000 END), 0),
       count(*) FILTER (WHERE media = 'music' AND (skipped IS TRUE OR reason_end = 'fwdbtn')),
       count(*) FILTER (WHERE media = 'music' AND (skipped IS NOT NULL OR reason_end IS NOT NULL)),
       min(ended_at)
FROM plays
GROUP BY 1, 2, 3, 4, 5, 6
