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
)
SELECT count(*) FROM inserted
