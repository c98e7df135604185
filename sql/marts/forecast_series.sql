-- The series the feed's forecasts learn from, oldest period first.
SELECT series, period, period_start, value
FROM marts.forecast_series
ORDER BY series, period_start
