-- The partitions of a partitioned marts table (a full build drops them when it swaps in new ones).
SELECT c.relname
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = %(parent)s::regclass
