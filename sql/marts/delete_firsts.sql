-- First streams of whole-listener targets are recomputed; a range target can only add plays.
WITH artists AS (
    DELETE FROM marts.artist_firsts a USING build_targets t WHERE a.listener = t.listener AND t.whole
)
DELETE FROM marts.track_firsts f USING build_targets t WHERE f.listener = t.listener AND t.whole
