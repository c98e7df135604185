SELECT status FROM ingest.files WHERE listener = %(listener)s AND sha256 = %(sha256)s
