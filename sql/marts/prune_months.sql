-- A month left without plays (e.g. a replaced account play) is no month of the listener's.
DELETE FROM marts.listener_months m
USING build_targets t
WHERE m.listener = t.listener AND m.music_plays = 0 AND m.podcast_plays = 0
