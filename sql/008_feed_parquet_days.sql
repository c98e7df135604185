-- Feed plays are published to curated Parquet by UTC day, after the commit, like export plays by
-- month: a day changed in Postgres is queued here until its files are written, so a crash
-- between the commit and the write is repaired by the next publish.
ALTER TABLE ingest.dirty_partitions ADD COLUMN day integer NOT NULL DEFAULT 0;
ALTER TABLE ingest.dirty_partitions DROP CONSTRAINT dirty_partitions_pkey;
ALTER TABLE ingest.dirty_partitions ADD PRIMARY KEY (dataset, listener, year, month, day);

COMMENT ON COLUMN ingest.dirty_partitions.day IS 'UTC day partition (feed_plays only; 0 for datasets partitioned by month or not at all).';
COMMENT ON COLUMN ingest.dirty_partitions.listener IS 'Listener partition ('''' for feed_plays, whose files hold every simulated listener).';
