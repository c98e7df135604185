-- Local months a target touched; whole-listener targets touch all of their months.
CREATE TEMPORARY TABLE touched_months ON COMMIT DROP AS
SELECT DISTINCT h.listener, date_trunc('month', h.local_date)::date AS month
FROM marts.hourly_plays h
JOIN build_targets t ON t.listener = h.listener AND h.utc_hour >= t.from_hour AND h.utc_hour < t.to_hour
