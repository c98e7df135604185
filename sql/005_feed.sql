-- The simulated listening feed: its users, its catalog and its non-play interactions.
-- Its plays go to curated.plays (source = 'feed'), so every figure works for simulated users too.
CREATE TABLE curated.feed_users (
    listener          text PRIMARY KEY,
    country           text,
    continent         text,
    subscription_type text,
    personality       text,
    file_id           bigint NOT NULL
);
COMMENT ON TABLE curated.feed_users IS 'Simulated listeners and their stable attributes (first seen wins).';
COMMENT ON COLUMN curated.feed_users.listener IS 'The feed''s userId, also curated.plays.listener.';
COMMENT ON COLUMN curated.feed_users.country IS 'ISO 3166 alpha-2 country.';
COMMENT ON COLUMN curated.feed_users.continent IS 'Continent code (AF, AS, EU, NA, OC, SA).';
COMMENT ON COLUMN curated.feed_users.subscription_type IS 'FREE, PREMIUM, FAMILY or STUDENT.';
COMMENT ON COLUMN curated.feed_users.personality IS 'Listening personality the simulator assigned (4 letters), null for old-schema files.';
COMMENT ON COLUMN curated.feed_users.file_id IS 'ingest.files row that first brought the user.';

CREATE TABLE curated.feed_tracks (
    track_id      text PRIMARY KEY,
    track_name    text,
    artist_id     text,
    artist_name   text,
    album_name    text,
    genre         text,
    release_year  integer,
    popularity    integer,
    duration_ms   bigint,
    valence       double precision,
    energy        double precision,
    danceability  double precision,
    acousticness  double precision,
    tempo         double precision,
    file_id       bigint NOT NULL
);
COMMENT ON TABLE curated.feed_tracks IS 'Catalog tracks seen in the simulated feed, with genre, release year, popularity and audio features.';
COMMENT ON COLUMN curated.feed_tracks.track_id IS 'The feed''s songId; curated.plays.track_uri is spotify:track:<track_id>.';
COMMENT ON COLUMN curated.feed_tracks.track_name IS 'Track name.';
COMMENT ON COLUMN curated.feed_tracks.artist_id IS 'The feed''s artistId.';
COMMENT ON COLUMN curated.feed_tracks.artist_name IS 'Artist name.';
COMMENT ON COLUMN curated.feed_tracks.album_name IS 'Album name (null for old-schema files).';
COMMENT ON COLUMN curated.feed_tracks.genre IS 'Genre.';
COMMENT ON COLUMN curated.feed_tracks.release_year IS 'Release year (null when the catalog has none).';
COMMENT ON COLUMN curated.feed_tracks.popularity IS 'Popularity 0-100.';
COMMENT ON COLUMN curated.feed_tracks.duration_ms IS 'Track length in ms.';
COMMENT ON COLUMN curated.feed_tracks.valence IS 'Audio feature valence 0-1.';
COMMENT ON COLUMN curated.feed_tracks.energy IS 'Audio feature energy 0-1.';
COMMENT ON COLUMN curated.feed_tracks.danceability IS 'Audio feature danceability 0-1.';
COMMENT ON COLUMN curated.feed_tracks.acousticness IS 'Audio feature acousticness 0-1.';
COMMENT ON COLUMN curated.feed_tracks.tempo IS 'Tempo in BPM.';
COMMENT ON COLUMN curated.feed_tracks.file_id IS 'ingest.files row that first brought the track.';

CREATE TABLE curated.feed_interactions (
    event_id      text PRIMARY KEY,
    listener      text NOT NULL,
    session_id    text,
    activity_type text NOT NULL,
    event_time    timestamptz NOT NULL,
    track_id      text,
    file_id       bigint NOT NULL
);
CREATE INDEX feed_interactions_listener_time ON curated.feed_interactions (listener, event_time);
COMMENT ON TABLE curated.feed_interactions IS 'Feed events that are not plays: LIKE, ADD_TO_PLAYLIST, FOLLOW, PAUSE, LEAVE_APP.';
COMMENT ON COLUMN curated.feed_interactions.event_id IS 'The feed''s eventId.';
COMMENT ON COLUMN curated.feed_interactions.listener IS 'The feed''s userId.';
COMMENT ON COLUMN curated.feed_interactions.session_id IS 'The feed''s sessionId.';
COMMENT ON COLUMN curated.feed_interactions.activity_type IS 'LIKE, ADD_TO_PLAYLIST, FOLLOW, PAUSE or LEAVE_APP.';
COMMENT ON COLUMN curated.feed_interactions.event_time IS 'When it happened, UTC.';
COMMENT ON COLUMN curated.feed_interactions.track_id IS 'Track it concerns (feed_tracks.track_id).';
COMMENT ON COLUMN curated.feed_interactions.file_id IS 'ingest.files row that loaded the event.';

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON curated.feed_users, curated.feed_tracks, curated.feed_interactions TO lake_reader;
    END IF;
END
$$;
