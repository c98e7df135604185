-- Artists whose first stream ever (in this listener's whole history) falls in the year, by minutes.
-- inputs: marts.window_plays, marts.artist_firsts
-- keys: new_artists, top_new_artist
SELECT p.artist_name, sum(p.ms) AS ms
FROM marts.window_plays(%(listener)s, %(date_from)s, %(date_to)s, %(utc_from)s, %(utc_to)s, %(spotify)s) p
JOIN marts.artist_firsts f ON f.listener = %(listener)s AND f.artist_name = p.artist_name
WHERE p.media = 'music' AND extract(year FROM f.first_stream_date) = %(year)s
GROUP BY p.artist_name
ORDER BY ms DESC, p.artist_name COLLATE "C"
