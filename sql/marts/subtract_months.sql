-- The facts being rebuilt go, and monthly totals are kept by difference: a range target's deleted
-- facts leave listener_months as they are deleted (a new day costs that day, not a month of facts
-- summed again); a whole-listener target drops its months instead.
WITH gone AS (
    DELETE FROM marts.hourly_plays h
    USING build_targets t
    WHERE (t.whole OR t.from_hour < t.built_until)  -- hours after the last built one: nothing there
      AND h.listener = t.listener AND h.local_date BETWEEN t.from_date AND t.to_date
                     AND h.utc_hour >= t.from_hour AND h.utc_hour < t.to_hour
    RETURNING h.listener, t.whole, h.local_date, h.media, h.plays, h.counted_plays, h.ms_played
),
sums AS (
    SELECT listener, date_trunc('month', local_date)::date AS month,
           coalesce(sum(plays) FILTER (WHERE media = 'music'), 0) AS music_plays,
           coalesce(sum(counted_plays) FILTER (WHERE media = 'music'), 0) AS streams,
           coalesce(sum(ms_played) FILTER (WHERE media = 'music'), 0) AS music_ms,
           coalesce(sum(plays) FILTER (WHERE media = 'podcast'), 0) AS podcast_plays,
           coalesce(sum(ms_played) FILTER (WHERE media = 'podcast'), 0) AS podcast_ms
    FROM gone
    WHERE NOT whole
    GROUP BY 1, 2
),
whole AS (
    DELETE FROM marts.listener_months m USING build_targets t WHERE m.listener = t.listener AND t.whole
)
UPDATE marts.listener_months m
SET music_plays = m.music_plays - s.music_plays, streams = m.streams - s.streams, music_ms = m.music_ms - s.music_ms,
    podcast_plays = m.podcast_plays - s.podcast_plays, podcast_ms = m.podcast_ms - s.podcast_ms
FROM sums s
WHERE m.listener = s.listener AND m.month = s.month
