-- The BRIN index of curated.play_rows describes only the block ranges summarized so far; blocks
-- appended since (new plays) match every search. Summarize them before the build reads new plays
-- through it (only the new blocks are read), outside the build's transaction so the lock this
-- takes is held for that read alone.
SELECT marts.summarize_new_blocks('curated.play_rows_file_time_brin')
