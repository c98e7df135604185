-- A continent's weekly minutes are forecast as its active users times minutes per active user
-- (marts/forecast.py); the model column names that model too.
COMMENT ON TABLE marts.forecasts IS 'Forecasts of the simulated feed''s series (marts.forecast_series), the next 4 weeks or 28 days, by the Theta method (weekly minutes: Theta on the active users times smoothed minutes per user) and the seasonal-naive baseline, with 80% intervals; replaced by each refresh.';
COMMENT ON COLUMN marts.forecasts.model IS 'The model: Theta; Theta, weekly season (daily series, the weekly rhythm taken out first); Theta x SES per user (weekly minutes: the active users by Theta times the minutes per active user by simple exponential smoothing); or seasonal_naive (the baseline).';
