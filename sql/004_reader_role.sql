-- A read-only role for analysts: GRANT lake_reader TO someone, or create a login from it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        CREATE ROLE lake_reader NOLOGIN;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'cannot create role lake_reader here; grant read access by hand';
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT USAGE ON SCHEMA ingest, curated, marts TO lake_reader;
        GRANT SELECT ON ALL TABLES IN SCHEMA ingest, curated, marts TO lake_reader;
        ALTER DEFAULT PRIVILEGES IN SCHEMA ingest, curated, marts GRANT SELECT ON TABLES TO lake_reader;
    END IF;
END
$$;
