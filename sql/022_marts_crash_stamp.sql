-- Crash recovery (after kill -9 of the postmaster, or the OOM killer) empties every UNLOGGED table:
-- the marts and the build's own bookkeeping, while the plays and the file registry stay. The lake
-- then answered "unknown listener" until someone ran a build. Every build now stamps its number
-- into two one-row tables in its own transaction, one logged and one not: the logged stamp without
-- its unlogged twin means crash recovery emptied the marts (sql/marts/lost.sql, two key look-ups),
-- and the next build, the stack's start or the first read rebuilds them (marts/recovery.py).
CREATE TABLE marts.build_stamp (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    build_id  bigint NOT NULL,
    built_at  timestamptz NOT NULL
);
COMMENT ON TABLE marts.build_stamp IS 'The last build that committed, kept through a crash (a logged table): without a row in marts.build_stamp_unlogged beside it, crash recovery emptied the marts.';
COMMENT ON COLUMN marts.build_stamp.only_row IS 'Always true: the table holds one row.';
COMMENT ON COLUMN marts.build_stamp.build_id IS 'Number of the last build (marts.build_ids).';
COMMENT ON COLUMN marts.build_stamp.built_at IS 'When that build''s transaction started.';

CREATE UNLOGGED TABLE marts.build_stamp_unlogged (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    build_id  bigint NOT NULL
);
COMMENT ON TABLE marts.build_stamp_unlogged IS 'The last build''s number again, UNLOGGED like the marts: crash recovery empties it with them.';
COMMENT ON COLUMN marts.build_stamp_unlogged.only_row IS 'Always true: the table holds one row.';
COMMENT ON COLUMN marts.build_stamp_unlogged.build_id IS 'Number of the last build (marts.build_ids).';

-- A lake built before this migration gets both stamps (marts it lost already are not told apart
-- from marts never built: the next build takes every file then anyway).
INSERT INTO marts.build_stamp (build_id, built_at)
SELECT coalesce((SELECT max(build_id) FROM marts.last_build), 0), now()
WHERE EXISTS (SELECT FROM marts.built_files) OR EXISTS (SELECT FROM marts.listeners);
INSERT INTO marts.build_stamp_unlogged (build_id) SELECT build_id FROM marts.build_stamp;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON marts.build_stamp, marts.build_stamp_unlogged TO lake_reader;
    END IF;
END
$$;
