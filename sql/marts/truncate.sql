-- A full build starts from empty marts (and forgets which files it had taken in). The indexes go
-- too and are built once at the end (full_indexes): sorting once is far cheaper than inserting
-- ten million keys one by one.
TRUNCATE marts.hourly_plays, marts.artist_firsts, marts.listener_months, marts.listeners, marts.built_files,
         marts.last_build, marts.last_build_months;
DROP INDEX marts.hourly_plays_listener_date;
ALTER TABLE marts.artist_firsts DROP CONSTRAINT artist_firsts_pkey
