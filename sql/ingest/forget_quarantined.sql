-- A file quarantined before may be retried (the lake may have learnt to read it): drop its old verdict.
DELETE FROM ingest.files
WHERE listener = %(listener)s AND sha256 = %(sha256)s AND status = 'quarantined'
