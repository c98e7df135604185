-- Minutes (music and podcasts) and streams per day: local days, or UTC days where Spotify counts those.
SELECT CASE WHEN %(utc_days)s THEN (h.utc_hour AT TIME ZONE 'UTC')::date ELSE h.local_date END AS day,
       sum(CASE WHEN %(spotify)s THEN h.ms_counted ELSE h.ms_played END) AS ms,
       coalesce(sum(h.counted_plays) FILTER (WHERE h.media = 'music'), 0) AS streams
FROM marts.hourly_plays h
WHERE h.listener = %(listener)s
  AND h.local_date BETWEEN %(date_from)s AND %(date_to)s
  AND h.utc_hour >= %(utc_from)s AND h.utc_hour < %(utc_to)s
GROUP BY 1
ORDER BY 1
