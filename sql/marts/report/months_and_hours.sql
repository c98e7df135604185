-- Music milliseconds per local month and per local hour of the play's end.
SELECT extract(month FROM h.local_date)::int AS month, h.local_hour,
       sum(CASE WHEN %(spotify)s THEN h.ms_counted ELSE h.ms_played END) AS ms
FROM marts.hourly_plays h
WHERE h.listener = %(listener)s
  AND h.local_date BETWEEN %(date_from)s AND %(date_to)s
  AND h.utc_hour >= %(utc_from)s AND h.utc_hour < %(utc_to)s
  AND h.media = 'music' AND (%(year)s::int IS NULL OR extract(year FROM h.local_date) = %(year)s)
GROUP BY 1, 2
