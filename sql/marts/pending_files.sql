-- Loaded files whose plays the marts do not include yet. A file being loaded right now is not
-- visible until its transaction commits, so the next build takes it.
SELECT file_id, listener, kind FROM marts.pending_files ORDER BY file_id
