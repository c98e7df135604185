-- The BRIN indexes of curated.play_rows describe only the block ranges summarized so far; blocks
-- appended since (new plays, until autovacuum comes by) match every search. Summarize them before
-- the build reads new plays through these indexes: only the new blocks are read, and outside the
-- build's transaction, so the lock this takes (it keeps VACUUM out) is held for that read alone.
SELECT brin_summarize_new_values('curated.play_rows_file_id_brin'),
       brin_summarize_new_values('curated.play_rows_ended_at_brin')
