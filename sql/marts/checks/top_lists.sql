-- Data check: for the listeners the last build changed, every top list holds at most 5 entries
-- ranked 1, 2, 3... with no rank or name twice.
WITH lists AS (
    SELECT 'artists' AS list, listener, year, rank, artist_name AS name FROM marts.top_artists
    WHERE listener IN (SELECT listener FROM marts.last_build)
    UNION ALL
    SELECT 'tracks', listener, year, rank, item_key FROM marts.top_tracks
    WHERE listener IN (SELECT listener FROM marts.last_build)
),
per_list AS (
    SELECT list, listener, year, count(*) AS entries, count(DISTINCT rank) AS ranks, count(DISTINCT name) AS names,
           min(rank) AS first_rank, max(rank) AS last_rank
    FROM lists
    GROUP BY 1, 2, 3
)
SELECT coalesce(bool_and(entries <= 5), true) AS at_most_five,
       coalesce(bool_and(ranks = entries AND names = entries), true) AS no_duplicates,
       coalesce(bool_and(first_rank = 1 AND last_rank = entries), true) AS ranks_contiguous
FROM per_list
