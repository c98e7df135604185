-- One share of a full build: new, still unattached tables shaped like the fact and the monthly
-- totals, holding only the listeners of this share's range ({in_range}). The CHECK lets the swap
-- attach them as partitions without reading them again. Monthly totals are updated in place by
-- every incremental build: half of each page is left free for HOT updates (migration 018).
CREATE UNLOGGED TABLE {facts} (LIKE marts.hourly_plays INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CHECK ({in_range}));
CREATE UNLOGGED TABLE {months} (LIKE marts.listener_months INCLUDING ALL, CHECK ({in_range})) WITH (fillfactor = 50);
-- See migration 016: the planner's guess for "the rows of one build".
ALTER TABLE {facts} ALTER COLUMN build_id SET (n_distinct = 1000)
