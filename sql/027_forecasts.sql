-- The feed's forecasts (include/wrapped_lake/marts/forecast.py): each refresh replaces every row.
CREATE TABLE marts.forecasts (
    series text NOT NULL,
    horizon_date date NOT NULL,
    model text NOT NULL,
    point double precision NOT NULL,
    lower double precision NOT NULL,
    upper double precision NOT NULL,
    generated_at timestamptz NOT NULL,
    PRIMARY KEY (series, model, horizon_date)
);
COMMENT ON TABLE marts.forecasts IS 'Forecasts of the simulated feed''s series (marts.forecast_series), the next 4 weeks or 28 days, by the ETS model and the seasonal-naive baseline, with 80% intervals; replaced by each refresh.';
COMMENT ON COLUMN marts.forecasts.series IS 'weekly_minutes:<continent>, weekly_active_users:<continent> or daily_sessions.';
COMMENT ON COLUMN marts.forecasts.horizon_date IS 'The forecast day, or the Monday of the forecast week.';
COMMENT ON COLUMN marts.forecasts.model IS 'The model, e.g. ETS(A,Ad,A) (error, trend, season), or seasonal_naive (the baseline).';
COMMENT ON COLUMN marts.forecasts.point IS 'Point forecast (mean).';
COMMENT ON COLUMN marts.forecasts.lower IS 'Lower end of the 80% prediction interval (10th percentile, at least 0).';
COMMENT ON COLUMN marts.forecasts.upper IS 'Upper end of the 80% prediction interval (90th percentile).';
COMMENT ON COLUMN marts.forecasts.generated_at IS 'When the refresh that wrote the row ran.';
