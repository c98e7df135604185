-- The session holding the build lock, what it is doing and since when (running its statement, or
-- idle since it ended), and its statement: the log of a build that has to wait for it says so.
-- A bigint advisory lock shows in pg_locks as its high (classid) and low (objid) halves, objsubid 1.
SELECT a.pid, a.state,
       round(extract(epoch FROM clock_timestamp() - CASE a.state WHEN 'active' THEN a.query_start ELSE a.state_change END)),
       left(a.query, 200)
FROM pg_locks l
JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid::bigint = %(lock)s::bigint >> 32 AND l.objid::bigint = %(lock)s::bigint & 4294967295
