-- The fact rows this build wrote sit in blocks its BRIN index on build_id has not summarized yet,
-- which every search would read; summarize them (only the new blocks) before the data checks look
-- for this build's rows.
SELECT marts.summarize_new_blocks(i.inhrelid)
FROM pg_inherits i
WHERE i.inhparent = 'marts.hourly_plays_build_id_brin'::regclass
