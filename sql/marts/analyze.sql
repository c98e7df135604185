-- After a full build: statistics of the partitioned tables as a whole (each partition has its own
-- already; autovacuum keeps partitions up to date later, never the parents; an incremental build
-- takes them again only once they are far behind: analyze_stale_parents) and of the tables the
-- build filled again.
ANALYZE ONLY marts.hourly_plays, marts.listener_months, marts.listener_days, marts.listener_day_artists,
             marts.account_days, marts.account_tracks, marts.account_heavy_tracks, marts.weekly_track_streams,
             marts.track_totals, marts.anomaly_scores
