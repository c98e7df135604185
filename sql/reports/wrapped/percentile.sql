-- Where the listener's music minutes stand among the year's listeners.
-- inputs: marts.minutes_percentiles
-- keys: percentile
SELECT percentile, listeners FROM marts.minutes_percentiles WHERE listener = %(listener)s AND year = %(year)s
