-- A full build forgets which files it had taken in and what it rebuilt last; its fact and monthly
-- totals arrive as new partitions instead (swap_partition); the weekly streams, the track totals
-- and the scores are filled again from them.
TRUNCATE marts.listeners, marts.built_files, marts.last_build, marts.last_build_months, marts.weekly_track_streams,
         marts.track_totals, marts.anomaly_scores
