WITH inserted AS (
    INSERT INTO curated.feed_interactions (event_id, listener, session_id, activity_type, event_time, track_id,
                                           file_id)
    SELECT event_id, listener, session_id, activity_type, event_time, track_id, %(file_id)s::bigint
    FROM stage_feed_interactions
    ON CONFLICT (event_id) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM inserted
