-- The global weekly streams keep no names: marts.weekly_charts takes a track's names from
-- marts.track_totals (the least of its plays' names over the whole feed, one row per track) when
-- it is read. Summing them per week cost a full build 4 of the weekly streams' 11 s at 10 million
-- plays (two text minimums per play). The streams kept stay as they are.
ALTER TABLE marts.weekly_track_streams DROP COLUMN track_name, DROP COLUMN artist_name;
