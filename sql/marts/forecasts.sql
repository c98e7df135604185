-- The stored forecasts, by series, model and date.
SELECT series, horizon_date, model, point, lower, upper, generated_at
FROM marts.forecasts
ORDER BY series, model, horizon_date
