-- A full build's new fact partition is indexed once it is filled: sorting once is far cheaper
-- than inserting ten million keys one by one. Both match the partitioned table's indexes, so the
-- swap attaches them instead of building others.
CREATE INDEX ON {facts} (listener, local_date);
CREATE INDEX ON {facts} USING brin (build_id) WITH (pages_per_range = 32, autosummarize = on)
