-- Every listener with plays: export owners (from the file registry) and simulated users, in the
-- database's order (a full build splits them into listener ranges by it).
SELECT DISTINCT listener FROM ingest.files WHERE status = 'loaded' AND kind <> 'feed'
UNION
SELECT listener FROM curated.feed_users
ORDER BY 1
