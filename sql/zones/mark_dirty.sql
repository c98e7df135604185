-- Queue partitions for a rewrite. `fresh` says the partition was in sync before this transaction,
-- so the loader may bring it back in sync by appending the new rows instead (zones/parquet.py).
INSERT INTO ingest.dirty_partitions (dataset, listener, year, month, day)
SELECT %(dataset)s, %(listener)s, year, month, day
FROM unnest(%(years)s::int[], %(months)s::int[], %(days)s::int[]) AS p (year, month, day)
ON CONFLICT (dataset, listener, year, month, day)
DO UPDATE SET generation = nextval('ingest.dirty_generation')
RETURNING year, month, day, generation, (xmax = 0) AS fresh
