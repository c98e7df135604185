-- A full build's new fact partition is indexed once it is filled: sorting once is far cheaper
-- than inserting ten million keys one by one.
CREATE INDEX ON {facts} (listener, local_date)
