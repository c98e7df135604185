-- Per simulated account, the measures behind the stream-farm signals (one row per listener of the feed).
-- inputs: marts.account_days
-- Read from the per-day sums the build keeps (marts.account_days), with what lies between two
-- active days, kept there too: the pause before a day's first play (from the previous active
-- day's last end) and after its last (to the next day's first start; none after the account's
-- last day), as one account's plays ordered by start, then end, give them (marts.feed_play_gaps).
-- The pauses' spread is Postgres' stddev_samp from their count, sum and sum of squares: the same
-- numeric formula, its square root correctly rounded to the variance's scale as stddev_samp rounds
-- it (sqrt() alone picks fewer digits for large values, and rounding those again differed in the
-- last digit in 9 of 20,000 random accounts). A day's sleep gap is the longest pause that starts
-- in that UTC day (a night crossing midnight counts for the evening it starts in); the account's
-- last day is left out, its night lies past the data.
CREATE VIEW marts.account_signals AS
WITH days AS (
    SELECT d.*, d.gap_out_ms IS NULL AS is_last FROM marts.account_days d
),
per_account AS (
    SELECT listener, sum(plays) AS plays, count(*) AS active_days, sum(ms_played) / 60000.0 / count(*) AS minutes_per_day,
           count(*) FILTER (WHERE NOT is_last) AS judged_days,
           count(*) FILTER (WHERE NOT is_last AND coalesce(greatest(longest_gap_ms, gap_out_ms), 0) < 3 * 3600000)
               AS sleepless_days,
           (sum(overlapping_plays) + count(*) FILTER (WHERE gap_in_ms < 0))::numeric / nullif(sum(plays) - 1, 0)::numeric
               AS overlap_share,
           sum(thirty_plays)::numeric / sum(plays)::numeric AS just_over_30s_share,
           sum(gaps) + count(*) FILTER (WHERE gap_in_ms BETWEEN 0 AND 600000) AS gaps,
           sum(gap_sum) + coalesce(sum(gap_in_ms) FILTER (WHERE gap_in_ms BETWEEN 0 AND 600000), 0) AS gap_sum,
           sum(gap_sum_squares)
               + coalesce(sum(gap_in_ms::numeric * gap_in_ms) FILTER (WHERE gap_in_ms BETWEEN 0 AND 600000), 0)
               AS gap_sum_squares,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY plays::float / nullif(tracks, 0)) FILTER (WHERE plays >= 20)
               AS plays_per_track_day,
           max(countries)::bigint AS most_countries_in_a_day
    FROM days
    GROUP BY listener
),
spread AS (
    SELECT a.*, CASE WHEN gaps > 1 THEN (gaps * gap_sum_squares - gap_sum * gap_sum) / (gaps * (gaps - 1)::numeric) END
                    AS gap_variance
    FROM per_account a
)
SELECT listener, plays, active_days, minutes_per_day, judged_days, sleepless_days, overlap_share, just_over_30s_share,
       gaps,
       CASE WHEN gap_variance <= 0 THEN 0 ELSE round(sqrt(gap_variance::numeric(1000, 100)), scale(gap_variance)) END
           / nullif(gap_sum / nullif(gaps, 0)::numeric, 0) AS gap_cv,
       plays_per_track_day, most_countries_in_a_day
FROM spread;
COMMENT ON VIEW marts.account_signals IS 'Per simulated account, the measures behind the stream-farm signals (one row per listener of the feed).';
COMMENT ON COLUMN marts.account_signals.listener IS 'Simulated user.';
COMMENT ON COLUMN marts.account_signals.plays IS 'Music plays of any length.';
COMMENT ON COLUMN marts.account_signals.active_days IS 'UTC days with a play.';
COMMENT ON COLUMN marts.account_signals.minutes_per_day IS 'Minutes played per active day.';
COMMENT ON COLUMN marts.account_signals.judged_days IS 'Active days but the last, whose sleep gap can be judged.';
COMMENT ON COLUMN marts.account_signals.sleepless_days IS 'Judged days whose longest pause starting that day is under 3 hours.';
COMMENT ON COLUMN marts.account_signals.overlap_share IS 'Share of plays that start before the previous play ended.';
COMMENT ON COLUMN marts.account_signals.just_over_30s_share IS 'Share of plays of 30 to 40 s: just enough to count as a stream.';
COMMENT ON COLUMN marts.account_signals.gaps IS 'Pauses of 0 to 10 minutes between plays (the ones gap_cv measures).';
COMMENT ON COLUMN marts.account_signals.gap_cv IS 'Coefficient of variation of those pauses: near 0 when every pause is the same.';
COMMENT ON COLUMN marts.account_signals.plays_per_track_day IS 'Median over days with 20+ plays of plays per distinct track that day.';
COMMENT ON COLUMN marts.account_signals.most_countries_in_a_day IS 'Most countries the account played from in one UTC day.';
