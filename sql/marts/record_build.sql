-- Remember the files this build took in, what it rebuilt and which months it changed (the data checks read these).
WITH files AS (
    INSERT INTO marts.built_files (file_id) SELECT unnest(%(file_ids)s::bigint[]) ON CONFLICT DO NOTHING
),
months AS (
    INSERT INTO marts.last_build_months (listener, month) SELECT listener, month FROM touched_months
)
INSERT INTO marts.last_build (listener, whole, timezone, from_hour, to_hour, from_date, to_date, build_id)
SELECT listener, whole, timezone, from_hour, to_hour, from_date, to_date, %(build_id)s FROM build_targets
