-- Check: every top list the last build touched is ranked 1 to at most 5, nothing twice.
-- inputs: marts.top_artists, marts.top_tracks, marts.last_build_months, marts.listeners
-- Data check: in the years the last build touched, every top list holds at most 5 entries ranked
-- 1, 2, 3... with no rank or name twice. Every export listener's years are checked; of simulated
-- users, a fixed sample of 100 listener-years (the lists are one view definition for all; 100
-- take ~0.15 s on 20,000 users of 500 plays each, measured).
-- OFFSET 0 keeps each lateral list a subquery of its own, so the listener and year reach the
-- view's grouping (one listener's rows) instead of the view being computed for everyone.
WITH touched AS (
    SELECT DISTINCT m.listener, extract(year FROM m.month)::int AS year, l.source
    FROM marts.last_build_months m
    JOIN marts.listeners l USING (listener)
),
years AS (
    SELECT listener, year FROM touched WHERE source = 'export'
    UNION ALL
    (SELECT listener, year FROM touched WHERE source = 'feed' ORDER BY md5(listener || year) LIMIT 100)
),
lists AS (
    SELECT 'artists' AS list, y.listener, y.year, a.rank, a.artist_name AS name
    FROM years y
    CROSS JOIN LATERAL (SELECT * FROM marts.top_artists t WHERE t.listener = y.listener AND t.year = y.year OFFSET 0) a
    UNION ALL
    SELECT 'tracks', y.listener, y.year, k.rank, k.item_key
    FROM years y
    CROSS JOIN LATERAL (SELECT * FROM marts.top_tracks t WHERE t.listener = y.listener AND t.year = y.year OFFSET 0) k
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
