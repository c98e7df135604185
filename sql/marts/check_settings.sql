-- Sort memory for a CLI check session, like a build's: at the default 4 MB the totals check's sort
-- of a new day's plays spills to disk.
SELECT set_config('work_mem', '64MB', false)
