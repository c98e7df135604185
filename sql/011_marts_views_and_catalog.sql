-- A user-loaded track catalog. (The yearly views first made here are models now: sql/models/marts/wrapped/.)



CREATE TABLE curated.catalog_tracks (
    track_uri     text PRIMARY KEY,
    track_name    text,
    artist_name   text,
    album_name    text,
    genre         text,
    release_year  integer,
    popularity    integer,
    valence       double precision,
    energy        double precision,
    danceability  double precision,
    acousticness  double precision,
    tempo         double precision
);
COMMENT ON TABLE curated.catalog_tracks IS 'A user-loaded track catalog (wrapped-lake catalog load, Spotify Tracks Dataset layout) that gives real exports genres, release years, popularity and audio features by track URI.';
COMMENT ON COLUMN curated.catalog_tracks.track_uri IS 'spotify:track:<track_id>.';
COMMENT ON COLUMN curated.catalog_tracks.track_name IS 'Track name.';
COMMENT ON COLUMN curated.catalog_tracks.artist_name IS 'First listed artist.';
COMMENT ON COLUMN curated.catalog_tracks.album_name IS 'Album name.';
COMMENT ON COLUMN curated.catalog_tracks.genre IS 'track_genre (the first one listed for the track).';
COMMENT ON COLUMN curated.catalog_tracks.release_year IS 'Release year, when the CSV has a release date or year column.';
COMMENT ON COLUMN curated.catalog_tracks.popularity IS 'Popularity 0-100.';
COMMENT ON COLUMN curated.catalog_tracks.valence IS 'Audio feature valence 0-1.';
COMMENT ON COLUMN curated.catalog_tracks.energy IS 'Audio feature energy 0-1.';
COMMENT ON COLUMN curated.catalog_tracks.danceability IS 'Audio feature danceability 0-1.';
COMMENT ON COLUMN curated.catalog_tracks.acousticness IS 'Audio feature acousticness 0-1.';
COMMENT ON COLUMN curated.catalog_tracks.tempo IS 'Tempo in BPM.';

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON curated.catalog_tracks TO lake_reader;
    END IF;
END
$$;
