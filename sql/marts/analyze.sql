-- After a full build: fresh statistics for the report queries (autovacuum keeps them up later).
ANALYZE marts.hourly_plays, marts.artist_firsts, marts.listener_months
