-- line: the CSV line of the row, so that the merge keeps the first of a repeated track_id
-- (the file arrives in batches, each copied here as it is read).
CREATE TEMP TABLE stage_catalog (LIKE curated.catalog_tracks, line bigint NOT NULL) ON COMMIT DROP
