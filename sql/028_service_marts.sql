-- The service's analytics over the feed read what the marts build keeps, instead of every play
-- (and every account's stream-farm score) on each query:
-- - marts.anomaly_scores becomes a table the build fills after the detection's tables, so the
--   charts, artist and population views leave flagged accounts out without scoring every account
--   again (3 to 4 s a query at 20,000 accounts);
-- - marts.account_tracks keeps each account's streams of a track and the track's names beside its
--   plays, indexed by artist: an artist's top songs and suspicious share read its rows;
-- - marts.account_days counts the sessions each account started in a day (daily sessions) and
--   keeps the pauses to the days around it (the signals need no window over every day);
-- - marts.weekly_track_streams: streams per week and track of the whole feed, added to by every
--   new day: the global weekly chart (a country's reads its listeners' rows of the fact);
-- - marts.listener_day_artists is indexed by artist: an artist's continents by week.
-- Views and the build's fills are re-created from sql/models/ after this migration.
ALTER TABLE marts.account_tracks
    ADD COLUMN streams integer NOT NULL DEFAULT 0,
    ADD COLUMN artist_name text,
    ADD COLUMN track_name text;
COMMENT ON COLUMN marts.account_tracks.streams IS 'Music plays of 30 s or more.';
COMMENT ON COLUMN marts.account_tracks.artist_name IS 'Artist name (the plays''; the least one if they differ).';
COMMENT ON COLUMN marts.account_tracks.track_name IS 'Track name (the plays''; the least one if they differ).';
CREATE INDEX account_tracks_artist ON marts.account_tracks (artist_name);

ALTER TABLE marts.account_days
    ADD COLUMN sessions integer NOT NULL DEFAULT 0,
    ADD COLUMN gap_in_ms bigint,
    ADD COLUMN gap_out_ms bigint;
COMMENT ON COLUMN marts.account_days.sessions IS 'Plays that start a session: the day''s first, and every one starting more than 30 minutes after the previous ended (marts.daily_sessions takes the first off when it continues the previous day''s last session).';
COMMENT ON COLUMN marts.account_days.gap_in_ms IS 'Pause before the day''s first play, from the previous active day''s last end, ms; null on the account''s first day.';
COMMENT ON COLUMN marts.account_days.gap_out_ms IS 'Pause after the day''s last play, to the next active day''s first start, ms; null on the account''s last day.';

CREATE INDEX listener_day_artists_artist ON marts.listener_day_artists (artist_name);

CREATE UNLOGGED TABLE marts.anomaly_scores (
    listener   text             PRIMARY KEY,
    plays      bigint           NOT NULL,
    score      double precision NOT NULL,
    flagged    boolean          NOT NULL,
    reasons    text[]           NOT NULL,
    overlap    double precision NOT NULL,
    countries  double precision NOT NULL,
    sleepless  double precision NOT NULL,
    thirty     double precision NOT NULL,
    regular    double precision NOT NULL,
    few_tracks double precision NOT NULL,
    shared     double precision NOT NULL
);
CREATE INDEX anomaly_scores_flagged ON marts.anomaly_scores (listener) WHERE flagged;
COMMENT ON TABLE marts.anomaly_scores IS 'Per simulated account, a stream-farm score from 0 to 1 with its reasons; flagged at 0.6 or more (filled by every marts build).';
COMMENT ON COLUMN marts.anomaly_scores.listener IS 'Simulated user.';
COMMENT ON COLUMN marts.anomaly_scores.plays IS 'Music plays of any length.';
COMMENT ON COLUMN marts.anomaly_scores.score IS 'Weighted sum of the signals'' strengths, at most 1, rounded to 2 decimals.';
COMMENT ON COLUMN marts.anomaly_scores.flagged IS 'Score (unrounded) of 0.6 or more: a stream farm.';
COMMENT ON COLUMN marts.anomaly_scores.reasons IS 'The signals at half strength or more, in words with their figures.';
COMMENT ON COLUMN marts.anomaly_scores.overlap IS 'Strength 0-1: plays starting before the previous one ended (weight 0.6).';
COMMENT ON COLUMN marts.anomaly_scores.countries IS 'Strength 0-1: countries in one day (weight 0.35).';
COMMENT ON COLUMN marts.anomaly_scores.sleepless IS 'Strength 0-1: days without a 3-hour pause (weight 0.35).';
COMMENT ON COLUMN marts.anomaly_scores.thirty IS 'Strength 0-1: plays of 30-40 s (weight 0.45).';
COMMENT ON COLUMN marts.anomaly_scores.regular IS 'Strength 0-1: pauses all alike (weight 0.3).';
COMMENT ON COLUMN marts.anomaly_scores.few_tracks IS 'Strength 0-1: few distinct tracks a day (weight 0.3).';
COMMENT ON COLUMN marts.anomaly_scores.shared IS 'Strength 0-1: plays on tracks several accounts play heavily (weight 0.45).';

-- Fill factor 70: every new day adds to the streams of the week's rows, in place (HOT).
CREATE UNLOGGED TABLE marts.weekly_track_streams (
    week_start  date   NOT NULL,
    item_key    text   NOT NULL,
    track_name  text,
    artist_name text,
    streams     bigint NOT NULL,
    PRIMARY KEY (week_start, item_key)
) WITH (fillfactor = 70);
COMMENT ON TABLE marts.weekly_track_streams IS 'Streams per week and track of the whole simulated feed, every account counted (marts.weekly_charts leaves flagged ones out); filled by the marts build.';
COMMENT ON COLUMN marts.weekly_track_streams.week_start IS 'Monday of the ISO week, of the listeners'' local dates.';
COMMENT ON COLUMN marts.weekly_track_streams.item_key IS 'Track URI (spotify:track:...).';
COMMENT ON COLUMN marts.weekly_track_streams.track_name IS 'Track name (the least one if plays differ).';
COMMENT ON COLUMN marts.weekly_track_streams.artist_name IS 'Artist name (the least one if plays differ).';
COMMENT ON COLUMN marts.weekly_track_streams.streams IS 'Plays of 30 s or more in the week.';

-- As migration 026: the marts look emptied by a crash, so the next build (or the first read)
-- rebuilds every mart, these tables with them, from the same fills.
DELETE FROM marts.build_stamp_unlogged;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON marts.anomaly_scores, marts.weekly_track_streams TO lake_reader;
    END IF;
END
$$;
