-- One forecast row of a refresh.
INSERT INTO marts.forecasts (series, horizon_date, model, point, lower, upper, generated_at)
VALUES (%(series)s, %(horizon_date)s, %(model)s, %(point)s, %(lower)s, %(upper)s, %(generated_at)s)
