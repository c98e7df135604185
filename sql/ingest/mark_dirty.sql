-- Queue partitions for a rewrite. `fresh` says the partition was in sync before this transaction,
-- so the loader may bring it back in sync by appending the new rows instead (curated.py).
INSERT INTO ingest.dirty_partitions (dataset, listener, year, month)
SELECT %(dataset)s, %(listener)s, year, month
FROM unnest(%(years)s::int[], %(months)s::int[]) AS p (year, month)
ON CONFLICT (dataset, listener, year, month)
DO UPDATE SET generation = nextval('ingest.dirty_generation')
RETURNING year, month, generation, (xmax = 0) AS fresh
