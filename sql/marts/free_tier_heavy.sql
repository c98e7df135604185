-- Free-tier accounts with unusually high activity, the heaviest first.
SELECT listener, minutes_per_day, tier_median_minutes, times_median
FROM marts.free_tier_heavy_users
ORDER BY minutes_per_day DESC, listener
