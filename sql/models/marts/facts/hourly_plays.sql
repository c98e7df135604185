-- The fact: plays per listener, UTC hour, local date and hour, and track, from curated plays.
-- inputs: curated.play_rows, build_targets, known_track_uris, marts.utc_hour, marts.stream_min_ms
-- also writes: touched_months
-- passes: whole, hours
-- Into {facts} (marts.hourly_plays, or a full build's new partition), every row stamped with the
-- build's number ({build}), in two passes ({whole}): the targets rebuilt whole, then those rebuilt
-- for hour ranges. Private sessions left out (account data has no flag:
-- NULL counts), local dates and hours in each listener's zone, and account plays (no URI) given the
-- URI that the same listener's extended history, library or playlists give the same artist and
-- track (known_track_uris). Rows go in ordered by listener and date, so one listener's rows sit on
-- few pages: every later step and report reads them through the (listener, local_date) index. The
-- sort key is C-collated: byte order lets Postgres compare abbreviated keys (sorting ten million
-- rows took about half the time); only the physical order of the rows depends on it.
-- UTC hours by marts.utc_hour, whatever the session's zone. The local hour is date_part's float,
-- not extract's numeric (a quarter of the expressions' time).
-- The new rows' sums per listener and local month go to touched_months as they are written (added
-- to the monthly totals next) instead of being read back from the fact.
WITH plays AS (
    SELECT p.listener COLLATE "C" AS listener, p.media, p.ms_played, p.ended_at, p.track_name, p.artist_name, p.album_name,
           coalesce(p.show_name, p.episode_name) AS show_name, p.skipped, p.reason_end,
           coalesce(p.track_uri, CASE WHEN p.source = 'account' THEN (
               SELECT n.uri FROM known_track_uris n
               WHERE n.listener = p.listener AND n.artist_name = p.artist_name AND n.track_name = p.track_name
           ) END) AS track_uri,
           p.ended_at AT TIME ZONE t.timezone AS local_end
    FROM curated.play_rows p
    -- Whole listeners are read through the (listener, ended_at) key. Hour ranges (new feed days)
    -- are read in one window of end times on the BRIN index (the new plays sit together at the end
    -- of the table) and matched to their targets in one hash join: there the key is compared as an
    -- expression (|| ''), which no index matches. Otherwise the planner walks the key once per
    -- listener as soon as the plays outgrow its guess for the window (at 17 million plays: 20,000
    -- index scans, 0.41 s where the window and the hash join take 0.12 s).
    JOIN build_targets t ON t.listener = CASE WHEN {whole} THEN p.listener ELSE p.listener || '' END
                        AND p.ended_at >= t.from_hour AND p.ended_at < t.to_hour
    WHERE p.incognito_mode IS NOT TRUE AND p.media IN ('music', 'podcast')
      AND t.whole = {whole}
      AND ({whole} OR p.ended_at >= (SELECT min(from_hour) FROM build_targets WHERE NOT whole)
                        AND p.ended_at < (SELECT max(to_hour) FROM build_targets WHERE NOT whole))
),
inserted AS (
    INSERT INTO {facts} (listener, utc_hour, local_date, local_hour, media, item_key, track_name,
                         artist_name, album_name, plays, counted_plays, ms_played, ms_counted,
                         skips, skip_known, first_ended_at, build_id)
    SELECT listener, marts.utc_hour(ended_at), local_end::date, date_part('hour', local_end)::smallint, media,
           CASE WHEN media = 'podcast' THEN coalesce(show_name, '')
                ELSE coalesce(track_uri, 'names:' || coalesce(artist_name, '') || E'\t' || coalesce(track_name, '')) END,
           min(track_name), min(artist_name), min(album_name),
           count(*),
           count(*) FILTER (WHERE ms_played >= marts.stream_min_ms(media)),
           sum(ms_played),
           coalesce(sum(ms_played) FILTER (WHERE ms_played >= marts.stream_min_ms(media)), 0),
           count(*) FILTER (WHERE media = 'music' AND (skipped IS TRUE OR reason_end = 'fwdbtn')),
           count(*) FILTER (WHERE media = 'music' AND (skipped IS NOT NULL OR reason_end IS NOT NULL)),
           min(ended_at), {build}
    FROM plays
    GROUP BY 1, 3, 2, 4, 5, 6
    ORDER BY 1, 3
    RETURNING listener, utc_hour, local_date, media, plays, counted_plays, ms_played
)
INSERT INTO touched_months (listener, month, music_plays, streams, music_ms, podcast_plays, podcast_ms, last_hour)
SELECT listener, date_trunc('month', local_date)::date,
       coalesce(sum(plays) FILTER (WHERE media = 'music'), 0),
       coalesce(sum(counted_plays) FILTER (WHERE media = 'music'), 0),
       coalesce(sum(ms_played) FILTER (WHERE media = 'music'), 0),
       coalesce(sum(plays) FILTER (WHERE media = 'podcast'), 0),
       coalesce(sum(ms_played) FILTER (WHERE media = 'podcast'), 0),
       max(utc_hour) + interval '1 hour'
FROM inserted
GROUP BY 1, 2
