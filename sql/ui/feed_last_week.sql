-- The simulated feed's last UTC week (Monday), the week the charts view shows; null without a feed.
SELECT date_trunc('week', max(utc_hour) AT TIME ZONE 'UTC')::date FROM marts.feed_plays
