-- Per simulated account, the measures behind the stream-farm signals (one row per listener of the feed).
-- inputs: marts.feed_play_gaps
-- A day's sleep gap is the longest pause that starts in that UTC day (a night crossing midnight
-- counts for the evening it starts in); the account's last day is left out, its night lies past the data.
-- The CTEs are MATERIALIZED: right after a load, before Postgres has statistics, it expects one row
-- and would otherwise join them by re-running an aggregate per listener (minutes instead of a second).
CREATE VIEW marts.account_signals AS
WITH days AS MATERIALIZED (
    SELECT listener, utc_day, count(*) AS plays, count(DISTINCT track_uri) AS tracks,
           count(DISTINCT conn_country) AS countries, max(gap_after_ms) AS longest_gap_ms,
           sum(ms_played) AS ms_played, utc_day = max(utc_day) OVER (PARTITION BY listener) AS is_last
    FROM marts.feed_play_gaps
    GROUP BY listener, utc_day
),
per_day AS MATERIALIZED (
    SELECT listener, count(*) AS active_days,
           count(*) FILTER (WHERE NOT is_last) AS judged_days,
           count(*) FILTER (WHERE NOT is_last AND coalesce(longest_gap_ms, 0) < 3 * 3600000) AS sleepless_days,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY plays::float / nullif(tracks, 0)) FILTER (WHERE plays >= 20)
               AS plays_per_track_day,
           max(countries) AS most_countries_in_a_day,
           sum(ms_played) / 60000.0 / count(*) AS minutes_per_day
    FROM days
    GROUP BY listener
),
per_play AS MATERIALIZED (
    SELECT listener, count(*) AS plays,
           avg((gap_before_ms < 0)::int) AS overlap_share,
           avg((ms_played >= 30000 AND ms_played < 40000)::int) AS just_over_30s_share,
           count(*) FILTER (WHERE gap_before_ms BETWEEN 0 AND 600000) AS gaps,
           stddev_samp(gap_before_ms) FILTER (WHERE gap_before_ms BETWEEN 0 AND 600000)
               / nullif(avg(gap_before_ms) FILTER (WHERE gap_before_ms BETWEEN 0 AND 600000), 0) AS gap_cv
    FROM marts.feed_play_gaps
    GROUP BY listener
)
SELECT p.listener, p.plays, d.active_days, d.minutes_per_day, d.judged_days, d.sleepless_days,
       p.overlap_share, p.just_over_30s_share, p.gaps, p.gap_cv, d.plays_per_track_day,
       d.most_countries_in_a_day
FROM per_play p JOIN per_day d USING (listener);
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
