-- A full build starts from empty marts (and forgets which files it had taken in).
TRUNCATE marts.hourly_plays, marts.artist_firsts, marts.track_firsts, marts.listener_months, marts.listeners,
         marts.built_files, marts.last_build
