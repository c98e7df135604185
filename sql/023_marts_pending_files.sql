-- marts.pending_files and marts.pending_listeners were first made here; they are models now
-- (sql/models/marts/build/).
SELECT;
