-- A listener-year's top discoveries as a playlist: the rows of the Wrapped JSON's top_discoveries.
-- inputs: marts.top_discoveries
SELECT d.track_name, d.artist_name, d.track_uri, d.streams
FROM marts.top_discoveries(%(listener)s, %(date_from)s, %(date_to)s) d
ORDER BY d.rank
