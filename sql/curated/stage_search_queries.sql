CREATE TEMP TABLE stage_search_queries ON COMMIT DROP AS
SELECT searched_at, platform, query, interaction_uris
FROM curated.search_queries
WITH NO DATA
