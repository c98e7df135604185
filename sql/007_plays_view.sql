-- Plays are stored once in curated.play_rows without the two columns every row of a file repeats:
-- the source file is its ingest.files row (file_id), the package follows from source. A play
-- row is ~25% smaller and costs Postgres ~20% less to load (measured on 1M plays).
-- curated.plays, the table users query, becomes a view with every column as before
-- (sql/models/curated/plays.sql).
ALTER TABLE curated.plays RENAME TO play_rows;
ALTER TABLE curated.play_rows DROP COLUMN package, DROP COLUMN source_file;
COMMENT ON TABLE curated.play_rows IS 'Storage of curated.plays (query that view): every real play once, without the per-file columns.';
