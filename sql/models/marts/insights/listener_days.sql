-- Plays, streams and milliseconds per listener and local date (a build's fill), the daily insights' base.
-- inputs: marts.hourly_plays, build_targets
-- Into {days} (marts.listener_days, or a full build's new partition), from {facts} (the fact, or
-- the share's new partition) once it holds the build's rows: every local date of a target's range
-- (build_targets' from_date to to_date, every date for a listener rebuilt whole) is summed again
-- from all its fact rows, so a new feed day costs that day's rows, and a date the range cuts
-- (a UTC day is two local dates east or west of UTC) keeps the plays of its other hours.
DELETE FROM {days} d
USING build_targets t
WHERE d.listener = t.listener AND d.local_date BETWEEN t.from_date AND t.to_date;
INSERT INTO {days} (listener, local_date, music_plays, streams, music_ms, podcast_plays, podcast_ms)
SELECT h.listener, h.local_date,
       coalesce(sum(h.plays) FILTER (WHERE h.media = 'music'), 0),
       coalesce(sum(h.counted_plays) FILTER (WHERE h.media = 'music'), 0),
       coalesce(sum(h.ms_played) FILTER (WHERE h.media = 'music'), 0),
       coalesce(sum(h.plays) FILTER (WHERE h.media = 'podcast'), 0),
       coalesce(sum(h.ms_played) FILTER (WHERE h.media = 'podcast'), 0)
FROM build_targets t
JOIN {facts} h ON h.listener = t.listener AND h.local_date BETWEEN t.from_date AND t.to_date
GROUP BY 1, 2
ORDER BY 1, 2
