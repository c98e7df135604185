-- Simulated users per subscription tier, and how many of them listened.
-- inputs: curated.feed_users, marts.listeners
CREATE VIEW marts.listeners_by_tier AS
SELECT u.subscription_type, count(*) AS users,
       count(*) FILTER (WHERE EXISTS (SELECT FROM marts.listeners l WHERE l.listener = u.listener)) AS listeners
FROM curated.feed_users u
GROUP BY u.subscription_type;
COMMENT ON VIEW marts.listeners_by_tier IS 'Simulated users per subscription tier, and how many of them listened.';
COMMENT ON COLUMN marts.listeners_by_tier.subscription_type IS 'FREE, PREMIUM, FAMILY or STUDENT.';
COMMENT ON COLUMN marts.listeners_by_tier.users IS 'Users of the tier.';
COMMENT ON COLUMN marts.listeners_by_tier.listeners IS 'Users of the tier with at least one counted play in the marts.';
