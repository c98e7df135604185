-- Per simulated account, a stream-farm score from 0 to 1 with its reasons; flagged at 0.6 or more (a build's fill, every account).
-- inputs: marts.account_signals, marts.shared_catalogue
-- Each signal has a strength from 0 (what listeners do) to 1 (what a farm does), rising linearly
-- between the two thresholds below; the score is the weighted sum of the strengths, at most 1.
-- No single signal but overlapping plays reaches the 0.6 flag: a super-fan (one artist, hours a
-- day) or a sleeper (a calm playlist all night, near-gapless) trips one, a farm trips two or more.
--   signal               strength 0 .. 1                              weight  needs
--   overlapping plays    0 .. 20% of plays start before the last ended  0.6    20 plays
--   countries in a day   1 .. 3                                       0.35
--   no daily sleep gap   50% .. 90% of days without a 3-hour pause    0.35    2 judged days
--   plays just over 30 s 10% .. 40% of plays last 30-40 s             0.45    50 plays
--   very regular gaps    pauses' coefficient of variation 0.5 .. 0.2  0.3     20 pauses
--   few distinct tracks  3.5 .. 5.5 plays per distinct track a day    0.3     a day of 20 plays
--   shared catalogue     20% .. 60% of plays on tracks 2+ accounts    0.45    50 plays
--                        each play heavily (marts.shared_catalogue)
-- Its inputs are MATERIALIZED for the reason account_signals gives. Every account is scored again
-- by every build, after the detection's tables: a new heavy track of one account can make another's
-- shared; the charts, artist and population views read the flags from here.
DELETE FROM marts.anomaly_scores;
WITH signals AS MATERIALIZED (SELECT * FROM marts.account_signals),
shared AS MATERIALIZED (SELECT * FROM marts.shared_catalogue),
strengths AS (
    SELECT a.listener, a.plays,
           CASE WHEN a.plays >= 20 THEN least(1, a.overlap_share / 0.2) ELSE 0 END AS overlap,
           least(1, greatest(0, (a.most_countries_in_a_day - 1) / 2.0)) AS countries,
           CASE WHEN a.judged_days >= 2
                THEN least(1, greatest(0, (a.sleepless_days::float / a.judged_days - 0.5) / 0.4)) ELSE 0 END AS sleepless,
           CASE WHEN a.plays >= 50 THEN least(1, greatest(0, (a.just_over_30s_share - 0.1) / 0.3)) ELSE 0 END AS thirty,
           CASE WHEN a.gaps >= 20 THEN least(1, greatest(0, (0.5 - coalesce(a.gap_cv, 0)) / 0.3)) ELSE 0 END AS regular,
           least(1, greatest(0, (coalesce(a.plays_per_track_day, 0) - 3.5) / 2)) AS few_tracks,
           CASE WHEN a.plays >= 50 THEN least(1, greatest(0, (coalesce(s.shared_share, 0) - 0.2) / 0.4)) ELSE 0 END AS shared,
           a.overlap_share, a.most_countries_in_a_day, a.sleepless_days, a.judged_days, a.just_over_30s_share,
           a.gap_cv, a.plays_per_track_day, s.shared_share, s.most_accounts
    FROM signals a
    LEFT JOIN shared s USING (listener)
)
INSERT INTO marts.anomaly_scores (listener, plays, score, flagged, reasons, overlap, countries, sleepless, thirty, regular, few_tracks, shared)
SELECT listener, plays,
       round(least(1, 0.6 * overlap + 0.35 * countries + 0.35 * sleepless + 0.45 * thirty + 0.3 * regular
                      + 0.3 * few_tracks + 0.45 * shared)::numeric, 2)::float AS score,
       0.6 * overlap + 0.35 * countries + 0.35 * sleepless + 0.45 * thirty + 0.3 * regular
           + 0.3 * few_tracks + 0.45 * shared >= 0.6 AS flagged,
       array_remove(ARRAY[
           CASE WHEN overlap >= 0.5 THEN format('%s%% of plays start before the previous one ended', round(100 * overlap_share)) END,
           CASE WHEN countries >= 0.5 THEN format('plays from %s countries in one day', most_countries_in_a_day) END,
           CASE WHEN sleepless >= 0.5 THEN format('no 3-hour pause on %s of %s days', sleepless_days, judged_days) END,
           CASE WHEN thirty >= 0.5 THEN format('%s%% of plays last 30-40 s', round(100 * just_over_30s_share)) END,
           CASE WHEN regular >= 0.5 THEN format('pauses between plays all alike (variation %s)', round(gap_cv::numeric, 2)) END,
           CASE WHEN few_tracks >= 0.5 THEN format('each track played %s times a day', round(plays_per_track_day::numeric, 1)) END,
           CASE WHEN shared >= 0.5 THEN format('%s%% of plays on tracks %s accounts play heavily', round(100 * shared_share), most_accounts) END
       ], NULL) AS reasons,
       overlap, countries, sleepless, thirty, regular, few_tracks, shared
FROM strengths
