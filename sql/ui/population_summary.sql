-- Simulated users per subscription tier, and daily active users over the feed's last 14 days.
SELECT 'tier' AS kind, subscription_type AS label, users AS value FROM marts.listeners_by_tier
UNION ALL
SELECT 'dau', period_start::text, active_users
FROM marts.active_users
WHERE period = 'day' AND period_start > (SELECT max(period_start) FROM marts.active_users WHERE period = 'day') - 14
ORDER BY kind, label
