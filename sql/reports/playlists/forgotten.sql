-- A listener's forgotten favourites as a playlist: the rows of the Wrapped JSON's forgotten_favourites.
-- inputs: marts.forgotten_favourites
SELECT f.track_name, f.artist_name, f.track_uri, f.streams
FROM marts.forgotten_favourites(%(listener)s, %(date_to)s) f
ORDER BY f.rank
