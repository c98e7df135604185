-- The stream-farm detection's views as they were before the build kept per-account tables
-- (commit e34ccc7, sql/models/marts/anomalies/): every feed play ordered on each query. The
-- test that the tables give the same scores creates them as temporary views before_<name>.

-- Every play of the simulated feed with the pause before it and after it: the raw material of the stream-farm signals.
-- inputs: curated.play_rows
-- Ordered per listener by start, then end. A negative gap_before_ms is a play that started before the
-- previous one ended: the simulator's listeners never do that, accounts played on several devices do.
CREATE TEMPORARY VIEW before_feed_play_gaps AS
SELECT p.listener, p.started_at, p.ended_at, p.ms_played, p.track_uri, p.artist_name, p.conn_country,
       (p.started_at AT TIME ZONE 'UTC')::date AS utc_day,
       (extract(epoch FROM p.started_at - lag(p.ended_at) OVER w) * 1000)::bigint AS gap_before_ms,
       (extract(epoch FROM lead(p.started_at) OVER w - p.ended_at) * 1000)::bigint AS gap_after_ms
FROM curated.play_rows p
WHERE p.source = 'feed' AND p.media = 'music'
WINDOW w AS (PARTITION BY p.listener ORDER BY p.started_at, p.ended_at);

-- Per simulated account, the measures behind the stream-farm signals (one row per listener of the feed).
-- inputs: before_feed_play_gaps
-- A day's sleep gap is the longest pause that starts in that UTC day (a night crossing midnight
-- counts for the evening it starts in); the account's last day is left out, its night lies past the data.
-- The CTEs are MATERIALIZED: right after a load, before Postgres has statistics, it expects one row
-- and would otherwise join them by re-running an aggregate per listener (minutes instead of a second).
CREATE TEMPORARY VIEW before_account_signals AS
WITH days AS MATERIALIZED (
    SELECT listener, utc_day, count(*) AS plays, count(DISTINCT track_uri) AS tracks,
           count(DISTINCT conn_country) AS countries, max(gap_after_ms) AS longest_gap_ms,
           sum(ms_played) AS ms_played, utc_day = max(utc_day) OVER (PARTITION BY listener) AS is_last
    FROM before_feed_play_gaps
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
    FROM before_feed_play_gaps
    GROUP BY listener
)
SELECT p.listener, p.plays, d.active_days, d.minutes_per_day, d.judged_days, d.sleepless_days,
       p.overlap_share, p.just_over_30s_share, p.gaps, p.gap_cv, d.plays_per_track_day,
       d.most_countries_in_a_day
FROM per_play p JOIN per_day d USING (listener);

-- Per simulated account, how much of its listening sits on tracks that several accounts each play heavily (account rings).
-- inputs: before_feed_play_gaps
-- A track is heavy for an account at 2% or more of its plays (accounts with 50+ plays); it is shared
-- when heavy for 2 accounts or more (a ring of two is still a ring). A popular track can be both for
-- ordinary listeners, and one artist's tracks for two of its super-fans, which is why this signal
-- alone never flags an account: the ring's catalogue also gives it few distinct tracks a day.
CREATE TEMPORARY VIEW before_shared_catalogue AS
WITH per_track AS (
    SELECT listener, track_uri, count(*) AS plays, sum(count(*)) OVER (PARTITION BY listener) AS total
    FROM before_feed_play_gaps
    WHERE track_uri IS NOT NULL
    GROUP BY listener, track_uri
),
heavy AS (
    SELECT listener, track_uri, plays, total FROM per_track WHERE total >= 50 AND plays >= 0.02 * total
),
shared AS (
    SELECT track_uri, count(*) AS accounts FROM heavy GROUP BY track_uri HAVING count(*) >= 2
)
SELECT h.listener, count(s.track_uri) AS shared_tracks, coalesce(max(s.accounts), 0) AS most_accounts,
       coalesce(sum(h.plays) FILTER (WHERE s.track_uri IS NOT NULL), 0)::float / max(h.total) AS shared_share
FROM heavy h LEFT JOIN shared s USING (track_uri)
GROUP BY h.listener;

-- Per simulated account, a stream-farm score from 0 to 1 with its reasons; flagged at 0.6 or more.
-- inputs: marts.account_signals, before_shared_catalogue
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
--                        each play heavily (before_shared_catalogue)
-- Its inputs are MATERIALIZED for the reason account_signals gives.
CREATE TEMPORARY VIEW before_anomaly_scores AS
WITH signals AS MATERIALIZED (SELECT * FROM before_account_signals),
shared AS MATERIALIZED (SELECT * FROM before_shared_catalogue),
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
FROM strengths;

-- Per artist of the simulated feed, its streams and the share of them by flagged accounts.
-- inputs: marts.feed_play_gaps, marts.anomaly_scores, marts.stream_min_ms
-- Streams are summed per listener and artist before meeting the few flagged accounts (MATERIALIZED,
-- for the reason before_account_signals gives).
CREATE TEMPORARY VIEW before_artist_suspicious_share AS
WITH streams AS MATERIALIZED (
    SELECT listener, artist_name, count(*) AS streams
    FROM before_feed_play_gaps
    WHERE ms_played >= marts.stream_min_ms('music') AND artist_name IS NOT NULL
    GROUP BY listener, artist_name
),
flagged AS MATERIALIZED (
    SELECT listener FROM before_anomaly_scores WHERE flagged
)
SELECT s.artist_name, sum(s.streams)::bigint AS streams,
       coalesce(sum(s.streams) FILTER (WHERE f.listener IS NOT NULL), 0)::bigint AS suspicious_streams,
       round(coalesce(sum(s.streams) FILTER (WHERE f.listener IS NOT NULL), 0) / sum(s.streams), 4) AS suspicious_share
FROM streams s
LEFT JOIN flagged f USING (listener)
GROUP BY s.artist_name;
