-- Column types of a table (a temporary staging table too), for binary COPY (db.copy_arrow).
SELECT attname::text, format_type(atttypid, NULL)
FROM pg_attribute
WHERE attrelid = %(table)s::regclass AND attnum > 0 AND NOT attisdropped
