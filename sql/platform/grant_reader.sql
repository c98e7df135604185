-- The reader role (migration 004) may read every table and view, also the ones just re-created
-- (a dropped view takes its grants with it).
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON ALL TABLES IN SCHEMA curated, marts TO lake_reader;
    END IF;
END
$$
