-- Free-tier accounts of the simulated feed with unusually high activity: 4 times the free tier's median minutes per active day, and 8 hours or more.
-- inputs: curated.feed_users, marts.account_signals
-- Its own flag, apart from the stream-farm score: a free account pays nothing, so heavy use of it
-- earns a farm royalties at no cost. The median is the tier's own, robust to the few heavy accounts.
CREATE VIEW marts.free_tier_heavy_users AS
WITH free AS (
    SELECT a.listener, a.minutes_per_day
    FROM marts.account_signals a
    JOIN curated.feed_users u USING (listener)
    WHERE upper(u.subscription_type) = 'FREE'
),
tier AS (
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes_per_day) AS median_minutes FROM free
)
SELECT f.listener, round(f.minutes_per_day::numeric, 1) AS minutes_per_day,
       round(t.median_minutes::numeric, 1) AS tier_median_minutes,
       round((f.minutes_per_day / nullif(t.median_minutes, 0))::numeric, 1) AS times_median
FROM free f CROSS JOIN tier t
WHERE f.minutes_per_day >= 4 * t.median_minutes AND f.minutes_per_day >= 480;
COMMENT ON VIEW marts.free_tier_heavy_users IS 'Free-tier accounts of the simulated feed with unusually high activity: 4 times the free tier''s median minutes per active day, and 8 hours or more.';
COMMENT ON COLUMN marts.free_tier_heavy_users.listener IS 'Simulated user on the free tier.';
COMMENT ON COLUMN marts.free_tier_heavy_users.minutes_per_day IS 'Its minutes played per active day.';
COMMENT ON COLUMN marts.free_tier_heavy_users.tier_median_minutes IS 'Median minutes per active day of free-tier accounts.';
COMMENT ON COLUMN marts.free_tier_heavy_users.times_median IS 'Its minutes per day over that median.';
