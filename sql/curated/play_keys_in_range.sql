-- Keys the listeners already have in a file's time span: the file's rows are checked against these.
-- As 16 raw bytes, the form loader.play_keys makes them.
SELECT uuid_send(play_key)
FROM curated.play_rows
WHERE listener = ANY (%(listeners)s::text[]) AND ended_at BETWEEN %(first)s AND %(last)s
