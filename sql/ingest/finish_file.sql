UPDATE ingest.files
SET rows_read = %(read)s, rows_loaded = %(loaded)s, rows_duplicate = %(duplicate)s,
    rows_overlap = %(overlap)s, rows_replaced = %(replaced)s, rows_rejected = %(rejected)s,
    rejected_reasons = %(rejected_reasons)s, finished_at = clock_timestamp()
WHERE file_id = %(file_id)s
