CREATE TEMP TABLE stage_feed_interactions ON COMMIT DROP AS
SELECT event_id, listener, session_id, activity_type, event_time, track_id
FROM curated.feed_interactions WITH NO DATA
