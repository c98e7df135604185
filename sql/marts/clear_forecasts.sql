-- A forecast refresh replaces every row.
DELETE FROM marts.forecasts
