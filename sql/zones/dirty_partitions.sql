SELECT dataset, listener, year, month, day, generation
FROM ingest.dirty_partitions
ORDER BY dataset, listener, year, month, day
