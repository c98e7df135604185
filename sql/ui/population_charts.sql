-- The latest month's top 5 songs, artists and genres per continent of the simulated feed, by
-- streams (the page shows no listeners: left out, their distinct counts are never made, a quarter
-- of this query's time).
SELECT continent, chart, rank, name, streams
FROM marts.population_top_charts
WHERE period = 'month' AND rank <= 5
  -- The month of the feed's last stream, from its plays: read from the charts, every month of
  -- them would be counted first.
  AND period_start = (SELECT date_trunc('month', max(utc_hour) FILTER (WHERE streams > 0) AT TIME ZONE 'UTC')::date
                      FROM marts.feed_plays)
ORDER BY continent, chart, rank
