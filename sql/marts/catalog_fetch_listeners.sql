-- Export listeners (their own loaded files; simulated feed users have no Spotify tracks to ask
-- about): every one, or those named in %(listeners)s.
SELECT DISTINCT listener FROM ingest.files
WHERE status = 'loaded' AND kind <> 'feed'
  AND (%(listeners)s::text[] IS NULL OR listener = ANY (%(listeners)s::text[]))
ORDER BY 1
