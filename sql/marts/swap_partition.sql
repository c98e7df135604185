-- A full build's new table becomes a partition of the marts table, for its listener range (the
-- table's CHECK already proves the range: no scan). Renamed first, so names stay <table>_p<N>.
ALTER TABLE {staged} RENAME TO {name};
ALTER TABLE {parent} ATTACH PARTITION {partition} FOR VALUES FROM ({lower}) TO ({upper})
