-- Listeners most of whose files the lake refused (more quarantined than loaded): a folder of broken
-- samples (the demo's) or an export it could barely read, not someone's listening; the picker
-- leaves them out (their pages still open by name).
SELECT listener
FROM ingest.files
GROUP BY listener
HAVING count(*) FILTER (WHERE status = 'quarantined') > count(*) FILTER (WHERE status = 'loaded')
