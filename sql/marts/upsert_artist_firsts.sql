-- Range targets keep the earlier of the known and the new first stream (whole targets were
-- deleted first, so they simply insert).
INSERT INTO marts.artist_firsts (listener, artist_name, first_stream_date)
SELECT h.listener, h.artist_name, min(h.local_date)
FROM marts.hourly_plays h
JOIN build_targets t ON h.listener = t.listener AND h.local_date BETWEEN t.from_date AND t.to_date
                     AND h.utc_hour >= t.from_hour AND h.utc_hour < t.to_hour
WHERE h.media = 'music' AND h.counted_plays > 0 AND h.artist_name IS NOT NULL
GROUP BY 1, 2
ON CONFLICT (listener, artist_name)
DO UPDATE SET first_stream_date = excluded.first_stream_date
WHERE excluded.first_stream_date < marts.artist_firsts.first_stream_date
