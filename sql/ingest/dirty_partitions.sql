SELECT dataset, listener, year, month, generation
FROM ingest.dirty_partitions
ORDER BY dataset, listener, year, month
