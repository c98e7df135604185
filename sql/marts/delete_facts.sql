DELETE FROM marts.hourly_plays h
USING build_targets t
WHERE h.listener = t.listener AND h.local_date BETWEEN t.from_date AND t.to_date
                     AND h.utc_hour >= t.from_hour AND h.utc_hour < t.to_hour
