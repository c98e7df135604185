-- Memory for the build's sorts and hash aggregates (at 4 MB they spill to disk; each session of a
-- full build takes up to 512 MB: 1.7 GB for two shares of ten million plays, measured; 1 GB each was
-- no faster) and its index builds, no JIT (compiling cost more than it saved on every step
-- measured). An incremental build touches a few hours of many listeners, which the planner cannot
-- know: with sequential scans and merge joins it scans every fact row per step (one new day of 2,000
-- users: 1.7 s per step instead of 0.1 s), so it walks the (listener, time) indexes target by target
-- instead. Hash joins stay: a new day's plays, read in one window, meet their targets in one. Its
-- own bookkeeping (targets, last build) is analyzed from small samples: the plans on them need row
-- counts and which targets are whole, not fine histograms (20,000 targets: 45 ms to 8 ms).
SELECT set_config('work_mem', CASE WHEN %(full)s THEN '512MB' ELSE '256MB' END, true), set_config('maintenance_work_mem', '1GB', true), set_config('jit', 'off', true),
       set_config('enable_mergejoin', CASE WHEN %(full)s THEN 'on' ELSE 'off' END, true),
       set_config('enable_seqscan', CASE WHEN %(full)s THEN 'on' ELSE 'off' END, true),
       set_config('default_statistics_target', CASE WHEN %(full)s THEN current_setting('default_statistics_target') ELSE '10' END, true)
