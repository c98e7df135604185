-- Schemas: ingest (file registry), curated (typed plays and library data), marts (Wrapped).
CREATE SCHEMA IF NOT EXISTS ingest;
CREATE SCHEMA IF NOT EXISTS curated;
CREATE SCHEMA IF NOT EXISTS marts;
COMMENT ON SCHEMA ingest IS 'Ingest log: one row per input file seen by the lake.';
COMMENT ON SCHEMA curated IS 'Typed, cleaned listening data without personal identifiers.';
COMMENT ON SCHEMA marts IS 'Wrapped-style aggregates built from curated data.';

CREATE TABLE ingest.files (
    file_id         bigserial PRIMARY KEY,
    listener        text        NOT NULL,
    sha256          text        NOT NULL,
    name            text        NOT NULL,
    container_sha256 text,
    size_bytes      bigint      NOT NULL,
    kind            text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('loaded', 'raw_only', 'quarantined')),
    raw_path        text        NOT NULL,
    rows_read       integer     NOT NULL DEFAULT 0,
    rows_loaded     integer     NOT NULL DEFAULT 0,
    rows_duplicate  integer     NOT NULL DEFAULT 0,
    rows_overlap    integer     NOT NULL DEFAULT 0,
    rows_replaced   integer     NOT NULL DEFAULT 0,
    rows_rejected   integer     NOT NULL DEFAULT 0,
    rejected_reasons jsonb      NOT NULL DEFAULT '{}'::jsonb,
    error           text,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (listener, sha256)
);
COMMENT ON TABLE ingest.files IS 'Registry of every input file (loose or inside a ZIP): what it was and what happened to it.';
COMMENT ON COLUMN ingest.files.file_id IS 'Surrogate key, referenced by curated rows.';
COMMENT ON COLUMN ingest.files.listener IS 'Listener the file belongs to (inbox sub-folder or --listener).';
COMMENT ON COLUMN ingest.files.sha256 IS 'SHA-256 of the file bytes; the same bytes for the same listener are ingested once.';
COMMENT ON COLUMN ingest.files.name IS 'File name as dropped; for a ZIP entry, zip name and entry path joined by "!/".';
COMMENT ON COLUMN ingest.files.container_sha256 IS 'SHA-256 of the ZIP that held this entry, null for loose files.';
COMMENT ON COLUMN ingest.files.size_bytes IS 'Size of the file (or uncompressed entry) in bytes.';
COMMENT ON COLUMN ingest.files.kind IS 'Content-detected kind, e.g. extended_audio, account_music, library, zip, quarantined kinds.';
COMMENT ON COLUMN ingest.files.status IS 'loaded (rows merged), raw_only (kept in the raw zone only) or quarantined.';
COMMENT ON COLUMN ingest.files.raw_path IS 'Path of the exact bytes in the raw zone, relative to the lake root.';
COMMENT ON COLUMN ingest.files.rows_read IS 'Rows found in the file.';
COMMENT ON COLUMN ingest.files.rows_loaded IS 'Rows that became new curated rows.';
COMMENT ON COLUMN ingest.files.rows_duplicate IS 'Rows already in the lake (exact duplicates within or across files).';
COMMENT ON COLUMN ingest.files.rows_overlap IS 'Account-data plays not counted because extended history already has them.';
COMMENT ON COLUMN ingest.files.rows_replaced IS 'Account-data plays loaded earlier that this extended-history file replaced.';
COMMENT ON COLUMN ingest.files.rows_rejected IS 'Rows that could not be read; reasons in rejected_reasons.';
COMMENT ON COLUMN ingest.files.rejected_reasons IS 'Rejected row counts by reason, e.g. {"unparseable timestamp": 3}.';
COMMENT ON COLUMN ingest.files.error IS 'Why the file was quarantined, in plain words.';
COMMENT ON COLUMN ingest.files.started_at IS 'When processing of the file started.';
COMMENT ON COLUMN ingest.files.finished_at IS 'When the file''s transaction committed.';

CREATE SEQUENCE ingest.dirty_generation;
CREATE TABLE ingest.dirty_partitions (
    dataset  text    NOT NULL,
    listener text    NOT NULL,
    year     integer NOT NULL,
    month    integer NOT NULL,
    generation bigint NOT NULL DEFAULT nextval('ingest.dirty_generation'),
    PRIMARY KEY (dataset, listener, year, month)
);
COMMENT ON TABLE ingest.dirty_partitions IS 'Curated Parquet partitions changed in Postgres but not yet rewritten.';
COMMENT ON COLUMN ingest.dirty_partitions.dataset IS 'Curated dataset name, e.g. plays.';
COMMENT ON COLUMN ingest.dirty_partitions.listener IS 'Listener partition.';
COMMENT ON COLUMN ingest.dirty_partitions.year IS 'UTC year partition (0 for unpartitioned datasets).';
COMMENT ON COLUMN ingest.dirty_partitions.month IS 'UTC month partition (0 for unpartitioned datasets).';
COMMENT ON COLUMN ingest.dirty_partitions.generation IS 'Bumped on every change, so a publish only clears what it wrote.';
