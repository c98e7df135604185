-- The plays new feed files bring to accounts rebuilt for hour ranges, per account, UTC day of their start, local week of their end (the fact's dates), track and its names (a build's temporary table).
-- inputs: curated.play_rows, build_targets, marts.pending_files, marts.stream_min_ms
-- What the detection's fills and the weekly streams add to their counts and which days they sum
-- again: a feed file only adds plays and is built once (marts.pending_files), so its plays are
-- exactly what changed. Read once for all of them, in one window of end times on the BRIN index of
-- (file_id, ended_at), matched to their targets (for the zone) in one hash join, the key as an
-- expression as marts.hourly_plays reads hour ranges; every play of a pending feed file lies in its
-- user's hour range. Accounts rebuilt whole are summed from all their plays instead (and left out
-- here). Empty in a full build.
CREATE TEMPORARY TABLE new_feed_plays ON COMMIT DROP AS
SELECT p.listener, (p.started_at AT TIME ZONE 'UTC')::date AS utc_day,
       date_trunc('week', (p.ended_at AT TIME ZONE t.timezone)::date)::date AS local_week, p.track_uri, p.artist_name,
       p.track_name, count(*) AS plays, count(*) FILTER (WHERE p.ms_played >= marts.stream_min_ms('music')) AS streams
FROM curated.play_rows p
JOIN build_targets t ON t.listener = p.listener || '' AND NOT t.whole
WHERE p.source = 'feed' AND p.media = 'music'
  AND p.file_id IN (SELECT file_id FROM marts.pending_files WHERE kind = 'feed')
  AND EXISTS (SELECT FROM build_targets WHERE NOT whole)
  AND p.ended_at >= (SELECT min(from_hour) FROM build_targets WHERE NOT whole)
  AND p.ended_at < (SELECT max(to_hour) FROM build_targets WHERE NOT whole)
GROUP BY 1, 2, 3, 4, 5, 6;
ANALYZE new_feed_plays
