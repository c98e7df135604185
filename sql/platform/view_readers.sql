-- The views of these names that exist, each with every one of them that reads it, as the database
-- records it (a view's rewrite rule depends on what it reads): the order in which to drop them.
-- Only views: a model's name may still be a table's in an old lake (curated.plays was one before
-- migration 007).
WITH existing AS (
    SELECT c.oid, n.nspname || '.' || c.relname AS name
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'v' AND n.nspname || '.' || c.relname = ANY (%(names)s)
)
SELECT e.name, r.name AS reader
FROM existing e
LEFT JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
                     AND d.refobjid = e.oid
LEFT JOIN pg_rewrite w ON w.oid = d.objid
LEFT JOIN existing r ON r.oid = w.ev_class AND r.oid <> e.oid
