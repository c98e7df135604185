SELECT sha256 FROM ingest.files WHERE listener = %(listener)s AND status IN ('loaded', 'raw_only')
