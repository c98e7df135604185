COPY (
    SELECT floor(extract(epoch FROM searched_at) * 1000)::bigint AS searched_at,
           platform, query, array_to_json(interaction_uris)::text AS interaction_uris, file_id
    FROM curated.search_queries WHERE listener = %(listener)s::text
    ORDER BY searched_at, query
) TO STDOUT (FORMAT csv, HEADER true)
