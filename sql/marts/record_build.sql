-- Remember the files this build took in and the listeners it changed (for the data checks).
WITH files AS (
    INSERT INTO marts.built_files (file_id) SELECT unnest(%(file_ids)s::bigint[]) ON CONFLICT DO NOTHING
)
INSERT INTO marts.last_build (listener) SELECT listener FROM build_targets
