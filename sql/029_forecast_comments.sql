-- The forecasts' model is the Theta method since the service's analytics round (marts/forecast.py);
-- migration 027's comments named the ETS model it replaced.
COMMENT ON TABLE marts.forecasts IS 'Forecasts of the simulated feed''s series (marts.forecast_series), the next 4 weeks or 28 days, by the Theta method and the seasonal-naive baseline, with 80% intervals; replaced by each refresh.';
COMMENT ON COLUMN marts.forecasts.model IS 'The model: Theta, or Theta, weekly season (daily series, the weekly rhythm taken out first), or seasonal_naive (the baseline).';
