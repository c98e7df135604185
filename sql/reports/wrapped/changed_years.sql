-- The years with plays of the given export listeners, whose pages are written again after a build.
-- Simulated users (thousands, every day) get their page on demand: wrapped-lake wrapped --format html.
SELECT y.listener, y.year
FROM marts.listener_years y
JOIN marts.listeners l USING (listener)
WHERE y.listener = ANY(%(listeners)s) AND l.source = 'export'
ORDER BY 1, 2
