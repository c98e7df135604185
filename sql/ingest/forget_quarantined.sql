-- A file quarantined before may be retried (the lake may have learnt to read it), and bytes kept
-- raw-only may load under a name whose kind is known: drop the old verdict.
DELETE FROM ingest.files
WHERE listener = %(listener)s AND sha256 = %(sha256)s
  AND (status = 'quarantined' OR (status = 'raw_only' AND %(status)s = 'loaded'))
