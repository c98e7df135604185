-- A simulated user's attributes are stable: the first file that brings them wins.
WITH inserted AS (
    INSERT INTO curated.feed_users (listener, country, continent, subscription_type, personality, file_id)
    SELECT DISTINCT ON (listener) listener, country, continent, subscription_type, personality, %(file_id)s::bigint
    FROM stage_feed_users
    ORDER BY listener
    ON CONFLICT (listener) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM inserted
