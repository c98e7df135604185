-- File ids handed out before parsing, so prepared rows can carry their file's id.
SELECT nextval(pg_get_serial_sequence('ingest.files', 'file_id')) FROM generate_series(1, %(count)s)
