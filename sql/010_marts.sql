-- The Wrapped marts: one hourly fact per listener and item, per-listener first artist streams, monthly
-- totals, and what the incremental build has already taken in. Everything here is rebuilt from
-- curated data by `wrapped-lake build`, so the derived tables are UNLOGGED: no WAL for tens of
-- millions of fact rows (a crash empties them and the build-state tables together, and the next
-- build then rebuilds everything). Only the listeners' own settings are durable.

CREATE TABLE marts.listener_settings (
    listener  text PRIMARY KEY,
    timezone  text NOT NULL,
    set_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE marts.listener_settings IS 'Per-listener choices (wrapped-lake listener set); listeners without a row use LAKE_TIMEZONE.';
COMMENT ON COLUMN marts.listener_settings.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.listener_settings.timezone IS 'IANA zone in which this listener''s days, hours, months and years are taken.';
COMMENT ON COLUMN marts.listener_settings.set_at IS 'When the zone was last set.';

CREATE UNLOGGED TABLE marts.listeners (
    listener  text PRIMARY KEY,
    timezone  text NOT NULL,
    source    text NOT NULL CHECK (source IN ('export', 'feed')),
    built_at  timestamptz NOT NULL
);
COMMENT ON TABLE marts.listeners IS 'Every listener the marts hold, with the zone their figures were built in.';
COMMENT ON COLUMN marts.listeners.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.listeners.timezone IS 'Zone the listener''s marts rows were built in; a different effective zone rebuilds the listener.';
COMMENT ON COLUMN marts.listeners.source IS 'export (a Spotify export owner) or feed (a simulated user).';
COMMENT ON COLUMN marts.listeners.built_at IS 'When a build last changed this listener''s rows.';

CREATE UNLOGGED TABLE marts.built_files (
    file_id   bigint PRIMARY KEY
);
COMMENT ON TABLE marts.built_files IS 'ingest.files rows whose plays the marts already include; a loaded file not listed here is new to the next build.';
COMMENT ON COLUMN marts.built_files.file_id IS 'ingest.files.file_id.';

CREATE UNLOGGED TABLE marts.last_build (
    listener  text PRIMARY KEY,
    whole     boolean NOT NULL,
    from_hour timestamptz NOT NULL,
    to_hour   timestamptz NOT NULL,
    from_date date NOT NULL,
    to_date   date NOT NULL
);
COMMENT ON TABLE marts.last_build IS 'What the last build rebuilt, per listener: the data checks look at these rows only.';
COMMENT ON COLUMN marts.last_build.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.last_build.whole IS 'True when the whole listener was rebuilt (an export file, a new zone, a full build).';
COMMENT ON COLUMN marts.last_build.from_hour IS 'First UTC hour rebuilt.';
COMMENT ON COLUMN marts.last_build.to_hour IS 'UTC hour after the last one rebuilt.';
COMMENT ON COLUMN marts.last_build.from_date IS 'A local date at or before from_hour in any zone (lets the hour range use the fact''s date index).';
COMMENT ON COLUMN marts.last_build.to_date IS 'A local date at or after to_hour in any zone.';

CREATE UNLOGGED TABLE marts.last_build_months (
    listener  text NOT NULL,
    month     date NOT NULL,
    PRIMARY KEY (listener, month)
);
COMMENT ON TABLE marts.last_build_months IS 'Local months the last build summed again (marts.listener_months rows it rewrote).';
COMMENT ON COLUMN marts.last_build_months.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.last_build_months.month IS 'First day of the local month.';

CREATE UNLOGGED TABLE marts.hourly_plays (
    listener       text        NOT NULL,
    utc_hour       timestamptz NOT NULL,
    local_date     date        NOT NULL,
    local_hour     smallint    NOT NULL,
    media          text        NOT NULL CHECK (media IN ('music', 'podcast')),
    item_key       text        NOT NULL,
    track_name     text,
    artist_name    text,
    album_name     text,
    plays          integer     NOT NULL,
    counted_plays  integer     NOT NULL,
    ms_played      bigint      NOT NULL,
    ms_counted     bigint      NOT NULL,
    skips          integer     NOT NULL,
    skip_known     integer     NOT NULL,
    first_ended_at timestamptz NOT NULL
);
CREATE INDEX hourly_plays_listener_date ON marts.hourly_plays (listener, local_date);
COMMENT ON TABLE marts.hourly_plays IS 'The Wrapped fact: music and podcast plays (private sessions left out) per listener, UTC hour, local date and hour, and track or show. Every Wrapped figure of either window is a sum over these rows.';
COMMENT ON COLUMN marts.hourly_plays.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.hourly_plays.utc_hour IS 'UTC hour in which the plays ended (Spotify''s own Wrapped counts UTC days and a UTC cut-off).';
COMMENT ON COLUMN marts.hourly_plays.local_date IS 'Date in the listener''s zone on which the plays ended.';
COMMENT ON COLUMN marts.hourly_plays.local_hour IS 'Hour (0-23) in the listener''s zone in which the plays ended: the listening clock.';
COMMENT ON COLUMN marts.hourly_plays.media IS 'music or podcast (audiobooks and unattributed plays count in load reports only).';
COMMENT ON COLUMN marts.hourly_plays.item_key IS 'Track identity for music: its spotify:track URI (account plays take the URI the listener''s other data gives the same artist and track), else "names:<artist>\t<track>"; for podcasts the show name (the episode name when the show is unknown).';
COMMENT ON COLUMN marts.hourly_plays.track_name IS 'Track name (music).';
COMMENT ON COLUMN marts.hourly_plays.artist_name IS 'Artist name (music); the artist''s identity, exports carry no artist IDs.';
COMMENT ON COLUMN marts.hourly_plays.album_name IS 'Album name (music; null for account data unless matched).';
COMMENT ON COLUMN marts.hourly_plays.plays IS 'Plays of any length.';
COMMENT ON COLUMN marts.hourly_plays.counted_plays IS 'Plays Spotify counts: music of 30 s or more (a stream), podcasts of 60 s or more.';
COMMENT ON COLUMN marts.hourly_plays.ms_played IS 'Milliseconds played, all plays (calendar window minutes).';
COMMENT ON COLUMN marts.hourly_plays.ms_counted IS 'Milliseconds of the counted plays only (spotify window minutes).';
COMMENT ON COLUMN marts.hourly_plays.skips IS 'Music plays with skipped = true or reason_end = fwdbtn.';
COMMENT ON COLUMN marts.hourly_plays.skip_known IS 'Music plays that carry skipped or reason_end at all (account data carries neither).';
COMMENT ON COLUMN marts.hourly_plays.first_ended_at IS 'End of the earliest of these plays (a track''s first play of any length).';

CREATE UNLOGGED TABLE marts.artist_firsts (
    listener          text NOT NULL,
    artist_name       text NOT NULL,
    first_stream_date date NOT NULL,
    PRIMARY KEY (listener, artist_name)
);
COMMENT ON TABLE marts.artist_firsts IS 'Each listener''s first stream of each artist over their whole history (new artists of a year).';
COMMENT ON COLUMN marts.artist_firsts.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.artist_firsts.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_firsts.first_stream_date IS 'Local date of the first stream (music play of 30 s or more) of this artist.';

CREATE UNLOGGED TABLE marts.listener_months (
    listener         text    NOT NULL,
    month            date    NOT NULL,
    music_plays      integer NOT NULL,
    streams          integer NOT NULL,
    music_ms         bigint  NOT NULL,
    podcast_plays    integer NOT NULL,
    podcast_ms       bigint  NOT NULL,
    PRIMARY KEY (listener, month)
);
COMMENT ON TABLE marts.listener_months IS 'Totals per listener and local month (calendar window), the cheap base of yearly totals and percentiles.';
COMMENT ON COLUMN marts.listener_months.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.listener_months.month IS 'First day of the local month.';
COMMENT ON COLUMN marts.listener_months.music_plays IS 'Music plays of any length.';
COMMENT ON COLUMN marts.listener_months.streams IS 'Music plays of 30 s or more.';
COMMENT ON COLUMN marts.listener_months.music_ms IS 'Milliseconds of music.';
COMMENT ON COLUMN marts.listener_months.podcast_plays IS 'Podcast plays of any length.';
COMMENT ON COLUMN marts.listener_months.podcast_ms IS 'Milliseconds of podcasts.';

-- The incremental build finds the plays of new files by file id; rows arrive in file order, so a
-- BRIN index (a few kB per GB, nearly free to maintain on load) narrows that to the new blocks.
CREATE INDEX play_rows_file_id_brin ON curated.play_rows USING brin (file_id);

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT USAGE ON SCHEMA marts TO lake_reader;
        GRANT SELECT ON ALL TABLES IN SCHEMA marts TO lake_reader;
    END IF;
END
$$;
