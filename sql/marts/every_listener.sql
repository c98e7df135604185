-- Every listener with plays: export owners (from the file registry) and simulated users.
SELECT DISTINCT listener FROM ingest.files WHERE status = 'loaded' AND kind <> 'feed'
UNION
SELECT listener FROM curated.feed_users
