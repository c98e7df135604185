-- Monthly totals are kept by difference: before a range target's facts are deleted, their sums
-- leave listener_months (a new day costs that day, not a month of facts summed again); a
-- whole-listener target drops its months instead.
WITH gone AS (
    SELECT h.listener, date_trunc('month', h.local_date)::date AS month,
           coalesce(sum(h.plays) FILTER (WHERE h.media = 'music'), 0) AS music_plays,
       coalesce(sum(h.counted_plays) FILTER (WHERE h.media = 'music'), 0) AS streams,
       coalesce(sum(h.ms_played) FILTER (WHERE h.media = 'music'), 0) AS music_ms,
       coalesce(sum(h.plays) FILTER (WHERE h.media = 'podcast'), 0) AS podcast_plays,
       coalesce(sum(h.ms_played) FILTER (WHERE h.media = 'podcast'), 0) AS podcast_ms
    FROM marts.hourly_plays h
    JOIN build_targets t ON h.listener = t.listener AND h.local_date BETWEEN t.from_date AND t.to_date
                     AND h.utc_hour >= t.from_hour AND h.utc_hour < t.to_hour
    WHERE NOT t.whole
    GROUP BY 1, 2
),
whole AS (
    DELETE FROM marts.listener_months m USING build_targets t WHERE m.listener = t.listener AND t.whole
)
UPDATE marts.listener_months m
SET music_plays = m.music_plays - g.music_plays, streams = m.streams - g.streams, music_ms = m.music_ms - g.music_ms,
    podcast_plays = m.podcast_plays - g.podcast_plays, podcast_ms = m.podcast_ms - g.podcast_ms
FROM gone g
WHERE m.listener = g.listener AND m.month = g.month
