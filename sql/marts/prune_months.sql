-- A month left without plays (e.g. a replaced account play) is no month of the listener's. Only a
-- listener rebuilt whole can lose plays: hour ranges (new feed plays) only gain them.
DELETE FROM marts.listener_months m
USING build_targets t
WHERE m.listener = t.listener AND t.whole AND m.music_plays = 0 AND m.podcast_plays = 0
