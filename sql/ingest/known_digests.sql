-- Files this listener already has: loaded bytes are not even parsed again; raw-only bytes are,
-- in case their new name makes them a kind the lake loads.
SELECT sha256, status FROM ingest.files WHERE listener = %(listener)s AND status IN ('loaded', 'raw_only')
