-- Tables a full build filled but did not attach (it failed or was stopped): dropped before and
-- after every full build. %(tables)s: the partitioned tables, whose new partitions are <table>_next<N>.
SELECT c.relname
FROM pg_class c
WHERE c.relnamespace = 'marts'::regnamespace AND c.relkind = 'r' AND NOT c.relispartition
  AND substring(c.relname FROM '^(.*)_next[0-9]+$') = ANY(%(tables)s)
