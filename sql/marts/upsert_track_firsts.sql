INSERT INTO marts.track_firsts (listener, item_key, first_stream_date)
SELECT h.listener, h.item_key, min(h.local_date)
FROM marts.hourly_plays h
JOIN build_targets t ON t.listener = h.listener AND h.utc_hour >= t.from_hour AND h.utc_hour < t.to_hour
WHERE h.media = 'music' AND h.counted_plays > 0
GROUP BY 1, 2
ON CONFLICT (listener, item_key)
DO UPDATE SET first_stream_date = least(marts.track_firsts.first_stream_date, excluded.first_stream_date)
