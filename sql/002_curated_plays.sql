-- One typed table of plays for every source: extended history, account data (and the simulated feed).
CREATE TABLE curated.plays (
    play_key        uuid        NOT NULL,
    listener        text        NOT NULL,
    source          text        NOT NULL CHECK (source IN ('extended', 'account', 'feed')),
    media           text        NOT NULL CHECK (media IN ('music', 'podcast', 'audiobook', 'unattributed')),
    is_video        boolean     NOT NULL DEFAULT false,
    -- Loaded as epoch milliseconds: Postgres parses (and Arrow writes) integers far faster than
    -- timestamp text, and the two timestamps follow from it exactly.
    ended_at_ms     bigint      NOT NULL,
    ended_at        timestamptz NOT NULL GENERATED ALWAYS AS (to_timestamp(ended_at_ms::double precision / 1000)) STORED,
    started_at      timestamptz NOT NULL GENERATED ALWAYS AS (to_timestamp((ended_at_ms - ms_played)::double precision / 1000)) STORED,
    ms_played       bigint      NOT NULL,
    minute_precision boolean    NOT NULL DEFAULT false,
    track_name      text,
    artist_name     text,
    album_name      text,
    track_uri       text,
    episode_name    text,
    show_name       text,
    episode_uri     text,
    audiobook_title text,
    audiobook_uri   text,
    chapter_title   text,
    chapter_uri     text,
    reason_start    text,
    reason_end      text,
    shuffle         boolean,
    skipped         boolean,
    offline         boolean,
    incognito_mode  boolean,
    platform        text,
    conn_country    text,
    source_file     text        NOT NULL,
    package         text GENERATED ALWAYS AS (CASE source WHEN 'extended' THEN 'Extended Streaming History'
                         WHEN 'account' THEN 'Account Data' WHEN 'feed' THEN 'Simulated feed' END) STORED,
    file_id         bigint      NOT NULL,
    -- One index serves dedup (the key), per-listener time ranges (overlap checks, marts) and
    -- cheap loads: exports arrive in time order, so new rows land at the right edge of the tree.
    PRIMARY KEY (listener, ended_at, play_key)
);

COMMENT ON TABLE curated.plays IS 'Every real play once: music, podcast, audiobook and unattributed, from every source. No IP, user agent or username.';
COMMENT ON COLUMN curated.plays.play_key IS 'MD5 of the play''s identity (listener, source, end time, ms played, item; see loader.play_keys), so a play repeated in several files counts once.';
COMMENT ON COLUMN curated.plays.listener IS 'Who listened: the inbox sub-folder of the export, or the simulated user.';
COMMENT ON COLUMN curated.plays.source IS 'extended (Extended streaming history), account (Account data, last year) or feed (simulated AVRO feed).';
COMMENT ON COLUMN curated.plays.media IS 'music, podcast, audiobook, or unattributed when the row names nothing.';
COMMENT ON COLUMN curated.plays.is_video IS 'True for rows from video history files (music videos, video podcasts).';
COMMENT ON COLUMN curated.plays.ended_at_ms IS 'When the stream ended, as epoch milliseconds (ended_at and started_at derive from it).';
COMMENT ON COLUMN curated.plays.ended_at IS 'When the stream ended, UTC (Spotify ts / endTime).';
COMMENT ON COLUMN curated.plays.started_at IS 'Derived start: ended_at minus ms_played.';
COMMENT ON COLUMN curated.plays.ms_played IS 'Milliseconds listened.';
COMMENT ON COLUMN curated.plays.minute_precision IS 'True when the source gives the end time to the minute only (account data).';
COMMENT ON COLUMN curated.plays.track_name IS 'Track name (music).';
COMMENT ON COLUMN curated.plays.artist_name IS 'Album artist name (music); exports carry one artist only.';
COMMENT ON COLUMN curated.plays.album_name IS 'Album name (music, extended history only).';
COMMENT ON COLUMN curated.plays.track_uri IS 'spotify:track:... URI (extended history only).';
COMMENT ON COLUMN curated.plays.episode_name IS 'Podcast episode name.';
COMMENT ON COLUMN curated.plays.show_name IS 'Podcast show name.';
COMMENT ON COLUMN curated.plays.episode_uri IS 'spotify:episode:... URI.';
COMMENT ON COLUMN curated.plays.audiobook_title IS 'Audiobook title.';
COMMENT ON COLUMN curated.plays.audiobook_uri IS 'spotify:audiobook:... URI.';
COMMENT ON COLUMN curated.plays.chapter_title IS 'Audiobook chapter title.';
COMMENT ON COLUMN curated.plays.chapter_uri IS 'Audiobook chapter URI.';
COMMENT ON COLUMN curated.plays.reason_start IS 'Why the stream started (trackdone, clickrow, fwdbtn, ...); null when empty.';
COMMENT ON COLUMN curated.plays.reason_end IS 'Why the stream ended (trackdone, fwdbtn, endplay, ...); null when empty.';
COMMENT ON COLUMN curated.plays.shuffle IS 'Shuffle mode was on.';
COMMENT ON COLUMN curated.plays.skipped IS 'The user skipped to the next track (unreliable 2015-04-13..2022-10-16, see README).';
COMMENT ON COLUMN curated.plays.offline IS 'Played in offline mode.';
COMMENT ON COLUMN curated.plays.incognito_mode IS 'Private session; stored but left out of Wrapped figures.';
COMMENT ON COLUMN curated.plays.platform IS 'Platform as exported (detailed before 2023-10-19, coarse after).';
COMMENT ON COLUMN curated.plays.conn_country IS 'ISO 3166 alpha-2 country of the connection.';
COMMENT ON COLUMN curated.plays.source_file IS 'File the row was first loaded from (ZIP entries as zip!/entry).';
COMMENT ON COLUMN curated.plays.package IS 'Package the row came from (derived from source): Extended Streaming History, Account Data or Simulated feed.';
COMMENT ON COLUMN curated.plays.file_id IS 'ingest.files row that loaded this play (lineage; not a foreign key, to keep bulk loads fast).';
