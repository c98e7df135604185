-- A listener is known once any of their files or plays is in the lake (built or not yet).
SELECT EXISTS (SELECT FROM marts.listeners WHERE listener = %(listener)s)
    OR EXISTS (SELECT FROM ingest.files WHERE listener = %(listener)s AND status = 'loaded')
    OR EXISTS (SELECT FROM curated.feed_users WHERE listener = %(listener)s)
