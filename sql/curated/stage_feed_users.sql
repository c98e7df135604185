CREATE TEMP TABLE stage_feed_users ON COMMIT DROP AS
SELECT listener, country, continent, subscription_type, personality FROM curated.feed_users WITH NO DATA
