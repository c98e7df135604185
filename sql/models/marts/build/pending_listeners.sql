-- Listeners whose curated plays files not yet built may have changed: the data checks leave them to the next build.
-- inputs: ingest.file_spans, marts.pending_files
-- An export file changes its owner's plays only (it may also replace or reclassify their earlier
-- ones); a feed file adds plays of the users in its spans (ingest.file_spans, written with it).
CREATE VIEW marts.pending_listeners AS
SELECT listener FROM marts.pending_files WHERE kind <> 'feed'
UNION
SELECT s.listener FROM marts.pending_files n JOIN ingest.file_spans s USING (file_id);
COMMENT ON VIEW marts.pending_listeners IS 'Listeners whose curated plays files not yet built may have changed: the data checks leave them to the next build.';
COMMENT ON COLUMN marts.pending_listeners.listener IS 'Listener (curated.plays.listener).';
