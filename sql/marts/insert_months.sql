-- Months a target touched, summed again from the fact.
INSERT INTO marts.listener_months (listener, month, music_plays, streams, music_ms, podcast_plays, podcast_ms)
SELECT h.listener, x.month,
       coalesce(sum(h.plays) FILTER (WHERE h.media = 'music'), 0),
       coalesce(sum(h.counted_plays) FILTER (WHERE h.media = 'music'), 0),
       coalesce(sum(h.ms_played) FILTER (WHERE h.media = 'music'), 0),
       coalesce(sum(h.plays) FILTER (WHERE h.media = 'podcast'), 0),
       coalesce(sum(h.ms_played) FILTER (WHERE h.media = 'podcast'), 0)
FROM touched_months x
JOIN marts.hourly_plays h ON h.listener = x.listener
     AND h.local_date >= x.month AND h.local_date < (x.month + interval '1 month')::date
GROUP BY 1, 2
