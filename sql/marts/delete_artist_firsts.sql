-- First streams of whole-listener targets are computed again; a range target can only add plays.
DELETE FROM marts.artist_firsts a USING build_targets t WHERE a.listener = t.listener AND t.whole
