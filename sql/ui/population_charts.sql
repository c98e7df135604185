-- The latest month's top 5 songs, artists and genres per continent of the simulated feed.
SELECT continent, chart, rank, name, streams, listeners
FROM marts.population_top_charts
WHERE period = 'month' AND rank <= 5
  AND period_start = (SELECT max(period_start) FROM marts.population_top_charts WHERE period = 'month')
ORDER BY continent, chart, rank
