-- Old mixed StreamingHistoryN.json files may hold podcasts filed as music (see reclassify).
SELECT EXISTS (
    SELECT 1 FROM ingest.files
    WHERE listener = %(listener)s AND kind = 'account_mixed' AND status = 'loaded'
)
