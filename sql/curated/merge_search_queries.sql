-- Searches once per listener (time, platform and text identify a search).
WITH inserted AS (
    INSERT INTO curated.search_queries (
        listener, searched_at, platform, query, interaction_uris, file_id, item_key)
    SELECT %(listener)s::text, s.searched_at, s.platform, s.query, s.interaction_uris, %(file_id)s::bigint,
           md5(concat_ws(chr(31), floor(extract(epoch FROM s.searched_at) * 1000)::bigint,
                         coalesce(s.platform, ''), coalesce(s.query, '')))::uuid
    FROM stage_search_queries s
    ON CONFLICT (listener, item_key) DO NOTHING
    RETURNING 1
), dirty AS (
    INSERT INTO ingest.dirty_partitions (dataset, listener, year, month)
    SELECT 'search_queries', %(listener)s::text, 0, 0 WHERE EXISTS (SELECT FROM inserted)
    ON CONFLICT (dataset, listener, year, month)
    DO UPDATE SET generation = nextval('ingest.dirty_generation')
)
SELECT count(*) FROM inserted
