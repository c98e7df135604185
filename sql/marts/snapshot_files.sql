-- A full build's snapshot, exported for its shares, and the loaded files it holds: one statement,
-- so one snapshot. The files recorded as built are then exactly those whose plays the shares read
-- (read apart, a file committed in between was in the marts without being recorded as built).
SELECT pg_export_snapshot(), ARRAY(SELECT file_id FROM ingest.files WHERE status = 'loaded' ORDER BY file_id)
