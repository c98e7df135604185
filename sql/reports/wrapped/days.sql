-- Minutes (music and podcasts, at most a day's: marts.day_ms) and streams per day: local days, or UTC
-- days where Spotify counts those.
-- inputs: marts.window_plays, marts.day_ms
-- keys: biggest_day, longest_streak_days
SELECT CASE WHEN %(utc_days)s THEN (p.utc_hour AT TIME ZONE 'UTC')::date ELSE p.local_date END AS day,
       marts.day_ms(sum(p.ms)) AS ms, coalesce(sum(p.counted_plays) FILTER (WHERE p.media = 'music'), 0) AS streams
FROM marts.window_plays(%(listener)s, %(date_from)s, %(date_to)s, %(utc_from)s, %(utc_to)s, %(spotify)s) p
GROUP BY 1
ORDER BY 1
