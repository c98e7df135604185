-- The BRIN index of curated.play_rows describes only the block ranges summarized so far; blocks
-- appended since match every search. The loader summarizes the ranges a file's plays filled right
-- after it commits them, as a B-tree is kept current by its writer, so that a build reads a new
-- day through the index without first summarizing it (a day of 200,000 plays: 75 ms). A build
-- runs it too, for plays loaded while VACUUM held the table (then it skips: VACUUM summarizes).
-- Outside any long transaction: the lock it takes is held for the summary alone.
SELECT marts.summarize_new_blocks('curated.play_rows_file_time_brin')
