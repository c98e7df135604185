-- The new facts' sums per listener and local month ({facts}: marts.hourly_plays, or a full build's new
-- partition): added to the monthly totals next.
CREATE TEMPORARY TABLE touched_months ON COMMIT DROP AS
SELECT h.listener, date_trunc('month', h.local_date)::date AS month,
       coalesce(sum(h.plays) FILTER (WHERE h.media = 'music'), 0) AS music_plays,
       coalesce(sum(h.counted_plays) FILTER (WHERE h.media = 'music'), 0) AS streams,
       coalesce(sum(h.ms_played) FILTER (WHERE h.media = 'music'), 0) AS music_ms,
       coalesce(sum(h.plays) FILTER (WHERE h.media = 'podcast'), 0) AS podcast_plays,
       coalesce(sum(h.ms_played) FILTER (WHERE h.media = 'podcast'), 0) AS podcast_ms
FROM {facts} h
JOIN build_targets t ON h.listener = t.listener AND h.local_date BETWEEN t.from_date AND t.to_date
                     AND h.utc_hour >= t.from_hour AND h.utc_hour < t.to_hour
GROUP BY 1, 2
