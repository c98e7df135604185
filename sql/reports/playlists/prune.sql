-- A listener's playlist tracks suggested for removal, each with its reasons.
-- inputs: marts.playlist_pruning
SELECT p.playlist_name, p.track_name, p.artist_name, p.track_uri, p.reasons
FROM marts.playlist_pruning(%(listener)s, %(date_to)s) p
