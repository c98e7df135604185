-- The stream-farm detection reads small tables the marts build fills (sql/models/marts/anomalies/
-- account_days.sql, account_tracks.sql, account_heavy_tracks.sql) instead of
-- ordering every feed play by listener on each query (7 to 26 s over the feed): per account and
-- UTC day the sums its signals need, per account and track the plays, and the tracks heavy for
-- each account. Partitioned by listener range like the fact,
-- so that a full build fills one new partition per share and swaps them in with the fact's;
-- UNLOGGED partitions, rebuilt from curated plays.
CREATE TABLE marts.account_days (
    listener          text        NOT NULL,
    utc_day           date        NOT NULL,
    plays             integer     NOT NULL,
    tracked_plays     integer     NOT NULL,
    tracks            integer     NOT NULL,
    countries         integer     NOT NULL,
    ms_played         bigint      NOT NULL,
    thirty_plays      integer     NOT NULL,
    overlapping_plays integer     NOT NULL,
    gaps              integer     NOT NULL,
    gap_sum           numeric     NOT NULL,
    gap_sum_squares   numeric     NOT NULL,
    longest_gap_ms    bigint,
    first_started_at  timestamptz NOT NULL,
    last_ended_at     timestamptz NOT NULL,
    PRIMARY KEY (listener, utc_day)
) PARTITION BY RANGE (listener);
COMMENT ON TABLE marts.account_days IS 'Per simulated account and UTC day its music plays started on, the sums behind the stream-farm signals (marts.account_signals adds the pauses between days).';
COMMENT ON COLUMN marts.account_days.listener IS 'Simulated user.';
COMMENT ON COLUMN marts.account_days.utc_day IS 'UTC day the plays started.';
COMMENT ON COLUMN marts.account_days.plays IS 'Music plays of any length.';
COMMENT ON COLUMN marts.account_days.tracked_plays IS 'Of those, plays with a track URI.';
COMMENT ON COLUMN marts.account_days.tracks IS 'Distinct track URIs.';
COMMENT ON COLUMN marts.account_days.countries IS 'Distinct countries played from.';
COMMENT ON COLUMN marts.account_days.ms_played IS 'Milliseconds played.';
COMMENT ON COLUMN marts.account_days.thirty_plays IS 'Plays of 30 to 40 s.';
COMMENT ON COLUMN marts.account_days.overlapping_plays IS 'Plays but the day''s first that start before the previous one ended.';
COMMENT ON COLUMN marts.account_days.gaps IS 'Pauses of 0 to 10 minutes before a play but the day''s first.';
COMMENT ON COLUMN marts.account_days.gap_sum IS 'Sum of those pauses, ms.';
COMMENT ON COLUMN marts.account_days.gap_sum_squares IS 'Sum of their squares, ms squared (exact: their spread is computed as Postgres'' stddev_samp does).';
COMMENT ON COLUMN marts.account_days.longest_gap_ms IS 'Longest pause after a play but the day''s last, ms; null with one play.';
COMMENT ON COLUMN marts.account_days.first_started_at IS 'Start of the day''s first play (by start, then end).';
COMMENT ON COLUMN marts.account_days.last_ended_at IS 'End of the day''s last play (by start, then end).';

CREATE TABLE marts.account_tracks (
    listener   text    NOT NULL,
    track_uri  text    NOT NULL,
    plays      integer NOT NULL,
    PRIMARY KEY (listener, track_uri)
) PARTITION BY RANGE (listener);
COMMENT ON TABLE marts.account_tracks IS 'Music plays per simulated account and track (with a URI): which tracks are heavy for an account.';
COMMENT ON COLUMN marts.account_tracks.listener IS 'Simulated user.';
COMMENT ON COLUMN marts.account_tracks.track_uri IS 'Track URI.';
COMMENT ON COLUMN marts.account_tracks.plays IS 'Music plays of any length.';

CREATE TABLE marts.account_heavy_tracks (
    listener   text    NOT NULL,
    track_uri  text    NOT NULL,
    plays      integer NOT NULL,
    total      integer NOT NULL,
    PRIMARY KEY (listener, track_uri)
) PARTITION BY RANGE (listener);
COMMENT ON TABLE marts.account_heavy_tracks IS 'Tracks heavy for a simulated account with 50 or more plays with a track URI: 2% or more of them (marts.shared_catalogue finds those heavy for several accounts).';
COMMENT ON COLUMN marts.account_heavy_tracks.listener IS 'Simulated user.';
COMMENT ON COLUMN marts.account_heavy_tracks.track_uri IS 'Track URI.';
COMMENT ON COLUMN marts.account_heavy_tracks.plays IS 'Its music plays of the track.';
COMMENT ON COLUMN marts.account_heavy_tracks.total IS 'Its music plays with a track URI.';

CREATE UNLOGGED TABLE marts.account_days_p0 PARTITION OF marts.account_days FOR VALUES FROM (MINVALUE) TO (MAXVALUE);
CREATE UNLOGGED TABLE marts.account_tracks_p0 PARTITION OF marts.account_tracks FOR VALUES FROM (MINVALUE) TO (MAXVALUE)
    WITH (fillfactor = 50);
CREATE UNLOGGED TABLE marts.account_heavy_tracks_p0 PARTITION OF marts.account_heavy_tracks
    FOR VALUES FROM (MINVALUE) TO (MAXVALUE) WITH (fillfactor = 50);

-- A lake built before this migration has marts without these tables' rows: forgetting the
-- unlogged build stamp makes it look as a crash leaves it (sql/marts/lost.sql), so the next build
-- or the first read rebuilds every mart, these tables with them (marts/recovery.py), from the
-- same fills, instead of a second definition of their sums here.
DELETE FROM marts.build_stamp_unlogged;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON marts.account_days, marts.account_tracks, marts.account_heavy_tracks TO lake_reader;
    END IF;
END
$$;
