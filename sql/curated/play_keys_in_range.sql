-- Keys the listener already has in a file's time span: the file's rows are checked against these.
SELECT play_key
FROM curated.plays
WHERE listener = %(listener)s::text AND ended_at BETWEEN %(first)s AND %(last)s
