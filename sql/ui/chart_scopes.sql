-- The scopes with a chart in a week: the whole feed (GLOBAL) first, then the countries.
SELECT DISTINCT scope, scope = 'GLOBAL' AS global
FROM marts.weekly_charts
WHERE week_start = %(week)s
ORDER BY global DESC, scope
