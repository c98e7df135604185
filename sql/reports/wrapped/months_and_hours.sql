-- Music milliseconds per local month and per local hour of the play's end.
-- inputs: marts.window_plays
-- keys: monthly_minutes, listening_clock
SELECT extract(month FROM p.local_date)::int AS month, p.local_hour, sum(p.ms) AS ms
FROM marts.window_plays(%(listener)s, %(date_from)s, %(date_to)s, %(utc_from)s, %(utc_to)s, %(spotify)s) p
WHERE p.media = 'music' AND (%(year)s::int IS NULL OR extract(year FROM p.local_date) = %(year)s)
GROUP BY 1, 2
