-- Statistics for a full build's new partitions, taken by the session that filled them.
ANALYZE {facts}, {months}
