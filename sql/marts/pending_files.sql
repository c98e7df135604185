-- Loaded files whose plays the marts do not include yet (a full build takes every loaded file).
-- A file being loaded right now is not visible until its transaction commits, so the next build
-- takes it.
SELECT f.file_id, f.listener, f.kind
FROM ingest.files f
WHERE f.status = 'loaded'
  AND (%(full)s OR NOT EXISTS (SELECT FROM marts.built_files b WHERE b.file_id = f.file_id))
ORDER BY f.file_id
