-- After a full build: statistics of the partitioned tables as a whole (each partition has its own
-- already; autovacuum keeps partitions up to date later, never the parents).
ANALYZE ONLY marts.hourly_plays, marts.listener_months, marts.weekly_track_streams, marts.track_totals,
             marts.anomaly_scores
