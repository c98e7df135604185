SELECT percentile, listeners FROM marts.minutes_percentiles WHERE listener = %(listener)s AND year = %(year)s
