-- Per simulated user, the UTC hours that new feed files brought plays for: only these are rebuilt.
-- The BETWEEN lets the BRIN index on file_id skip every older block.
SELECT listener, date_trunc('hour', min(ended_at)) AS from_hour,
       date_trunc('hour', max(ended_at)) + interval '1 hour' AS to_hour
FROM curated.play_rows
WHERE file_id BETWEEN %(first_id)s AND %(last_id)s
  AND file_id = ANY(%(file_ids)s)
GROUP BY listener
