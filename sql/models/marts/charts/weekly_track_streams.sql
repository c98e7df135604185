-- Streams per week and track of the whole simulated feed (the global chart's), every account counted (a build's fill).
-- inputs: marts.hourly_plays, curated.feed_users, build_targets, new_feed_plays
-- also writes: weekly_sums
-- passes: whole, hours
-- Weeks are ISO weeks of each listener's own dates (the fact's local_date, as the Wrapped counts
-- days); tracks are keyed by URI (every feed play has one). For hour ranges the new feed files'
-- streams are merged in in key order: a new day costs its own plays. When a feed listener is
-- rebuilt whole (a full build, or a zone change) every row is summed again from the fact, which
-- then holds every listener's rows, the new hours' too (the hours pass then adds nothing): a
-- listener's old share of a week cannot be taken out alone.
-- Flagged accounts are counted here; marts.weekly_charts takes their streams out when it is read,
-- so a flag that changes never leaves this table stale, and takes the tracks' names from
-- marts.track_totals (a week's two text minimums per play cost 4 of this sum's 11 s at 10 million
-- plays). A country's chart needs no table: its listeners' rows of a week are few, read through
-- the fact's (listener, local_date) key.
DELETE FROM marts.weekly_track_streams
WHERE {whole} AND EXISTS (SELECT FROM build_targets t JOIN curated.feed_users u USING (listener) WHERE t.whole);
-- Summed into a temporary table first: a CREATE TABLE AS may read in parallel, an INSERT never
-- does, and a full build runs this alone, one core idle (21 s to 11 s at 10 million plays, with
-- the costs below that let the planner split a sum of half a million keys).
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0.0001;
CREATE TEMPORARY TABLE weekly_sums ON COMMIT DROP AS
SELECT date_trunc('week', h.local_date)::date AS week_start, h.item_key, sum(h.counted_plays) AS streams
FROM marts.hourly_plays h
JOIN curated.feed_users u USING (listener)
WHERE {whole} AND EXISTS (SELECT FROM build_targets t JOIN curated.feed_users f USING (listener) WHERE t.whole)
  AND h.media = 'music' AND h.counted_plays > 0
GROUP BY 1, 2;
SET LOCAL parallel_setup_cost = DEFAULT;
SET LOCAL parallel_tuple_cost = DEFAULT;
INSERT INTO marts.weekly_track_streams (week_start, item_key, streams)
SELECT week_start, item_key, streams FROM weekly_sums ORDER BY 1, 2;
DROP TABLE weekly_sums;
-- Each new key is looked up through the table's key, one by one: the planner would rather hash the
-- whole table (every account's tracks) for a day's keys, which took 2.6 times as long at a million plays.
SET LOCAL enable_hashjoin = off;
SET LOCAL enable_mergejoin = off;
MERGE INTO marts.weekly_track_streams w
USING (
    SELECT n.local_week AS week_start, n.track_uri AS item_key, sum(n.streams) AS streams
    FROM new_feed_plays n
    JOIN curated.feed_users u USING (listener)
    WHERE NOT {whole} AND n.streams > 0 AND n.track_uri IS NOT NULL
      -- Summed again from the fact above, these plays with them.
      AND NOT EXISTS (SELECT FROM build_targets t JOIN curated.feed_users f USING (listener) WHERE t.whole)
    GROUP BY 1, 2
    ORDER BY 1, 2
) n ON w.week_start = n.week_start AND w.item_key = n.item_key
WHEN MATCHED THEN UPDATE SET streams = w.streams + n.streams
WHEN NOT MATCHED THEN INSERT (week_start, item_key, streams) VALUES (n.week_start, n.item_key, n.streams);
SET LOCAL enable_hashjoin = on;
SET LOCAL enable_mergejoin = on
