-- Remember the files this build took in, what it rebuilt and which months it changed (the data
-- checks read these), and stamp its number into the logged and the unlogged stamp (migration 022:
-- the one without the other after a restart means crash recovery emptied the marts).
WITH files AS (
    INSERT INTO marts.built_files (file_id) SELECT unnest(%(file_ids)s::bigint[]) ON CONFLICT DO NOTHING
),
months AS (
    INSERT INTO marts.last_build_months (listener, month) SELECT listener, month FROM touched_months
),
stamp AS (
    INSERT INTO marts.build_stamp (build_id, built_at) VALUES (%(build_id)s, now())
    ON CONFLICT (only_row) DO UPDATE SET build_id = excluded.build_id, built_at = excluded.built_at
),
unlogged_stamp AS (
    INSERT INTO marts.build_stamp_unlogged (build_id) VALUES (%(build_id)s)
    ON CONFLICT (only_row) DO UPDATE SET build_id = excluded.build_id
)
INSERT INTO marts.last_build (listener, whole, timezone, from_hour, to_hour, from_date, to_date, build_id)
SELECT listener, whole, timezone, from_hour, to_hour, from_date, to_date, %(build_id)s FROM build_targets
