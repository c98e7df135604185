CREATE TEMP TABLE stage_catalog ON COMMIT DROP AS SELECT * FROM curated.catalog_tracks WITH NO DATA
