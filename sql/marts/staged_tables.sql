-- Tables a full build filled but did not attach (it failed or was stopped): dropped before and
-- after every full build.
SELECT c.relname
FROM pg_class c
WHERE c.relnamespace = 'marts'::regnamespace AND c.relkind = 'r' AND NOT c.relispartition
  AND c.relname ~ '^(hourly_plays|listener_months)_next[0-9]+$'
