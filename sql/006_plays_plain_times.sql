-- Plays now arrive by binary COPY, where a timestamp costs Postgres no more than an integer: store
-- both times as plain columns (generating them from epoch ms cost ~15% of the load) and drop the
-- epoch-ms column. Existing values are kept as they are.
ALTER TABLE curated.plays ALTER COLUMN ended_at DROP EXPRESSION;
ALTER TABLE curated.plays ALTER COLUMN started_at DROP EXPRESSION;
ALTER TABLE curated.plays DROP COLUMN ended_at_ms;

COMMENT ON COLUMN curated.plays.started_at IS 'Derived start: ended_at minus ms_played (set by the loader).';
