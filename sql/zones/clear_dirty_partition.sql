-- Only clear what was published: a newer change (higher generation) stays dirty.
DELETE FROM ingest.dirty_partitions
WHERE dataset = %(dataset)s AND listener = %(listener)s AND year = %(year)s AND month = %(month)s
  AND day = %(day)s AND generation = %(generation)s
RETURNING 1
