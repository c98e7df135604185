-- Claim a file for this transaction. A concurrent ingest of the same bytes waits here on the
-- unique key and then gets no row back, so it reports a duplicate instead of loading twice.
INSERT INTO ingest.files (file_id, listener, sha256, name, container_sha256, size_bytes, kind, status,
                          raw_path, error, started_at)
VALUES (%(file_id)s, %(listener)s, %(sha256)s, %(name)s, %(container_sha256)s, %(size_bytes)s, %(kind)s,
        %(status)s, %(raw_path)s, %(error)s, %(started_at)s)
ON CONFLICT (listener, sha256) DO NOTHING
RETURNING file_id
