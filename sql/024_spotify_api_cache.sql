-- What `wrapped-lake catalog fetch` got from Spotify's Web API, item by item: the run's resumable
-- cache (an item here is never asked again) and the source of the catalog rows it fills.
CREATE TABLE curated.spotify_api_tracks (
    track_uri        text PRIMARY KEY,
    status           text NOT NULL CHECK (status IN ('found', 'not_found')),
    fetched_at       timestamptz NOT NULL DEFAULT now(),
    track_name       text,
    album_name       text,
    artist_ids       text[],
    artist_names     text[],
    release_date     text,
    release_date_precision text,
    popularity       integer CHECK (popularity BETWEEN 0 AND 100)
);
COMMENT ON TABLE curated.spotify_api_tracks IS 'Tracks of export listeners asked of Spotify''s Web API (Get Several Tracks, or Get Track where Spotify refuses batches) by wrapped-lake catalog fetch; a rate-limited or failed item is not here, so the next run asks it again.';
COMMENT ON COLUMN curated.spotify_api_tracks.track_uri IS 'spotify:track:<id> as the export gives it.';
COMMENT ON COLUMN curated.spotify_api_tracks.status IS 'found, or not_found when Spotify answered null (batch) or 404 (single) for the id.';
COMMENT ON COLUMN curated.spotify_api_tracks.fetched_at IS 'When Spotify answered.';
COMMENT ON COLUMN curated.spotify_api_tracks.track_name IS 'Track name (name).';
COMMENT ON COLUMN curated.spotify_api_tracks.album_name IS 'Album name (album.name).';
COMMENT ON COLUMN curated.spotify_api_tracks.artist_ids IS 'Artist ids in Spotify''s order (artists[].id): the first one with genres gives the track its genre.';
COMMENT ON COLUMN curated.spotify_api_tracks.artist_names IS 'Artist names in the same order (artists[].name).';
COMMENT ON COLUMN curated.spotify_api_tracks.release_date IS 'album.release_date as sent: YYYY, YYYY-MM or YYYY-MM-DD (0000 when Spotify does not know it).';
COMMENT ON COLUMN curated.spotify_api_tracks.release_date_precision IS 'album.release_date_precision: year, month or day.';
COMMENT ON COLUMN curated.spotify_api_tracks.popularity IS 'popularity 0-100; null when Spotify no longer sends it (Development Mode apps since February 2026).';

CREATE TABLE curated.spotify_api_artists (
    artist_id   text PRIMARY KEY,
    status      text NOT NULL CHECK (status IN ('found', 'not_found')),
    fetched_at  timestamptz NOT NULL DEFAULT now(),
    artist_name text,
    genres      text[]
);
COMMENT ON TABLE curated.spotify_api_artists IS 'Artists of the fetched tracks asked of Spotify''s Web API (Get Several Artists, or Get Artist where Spotify refuses batches) by wrapped-lake catalog fetch, for their genres.';
COMMENT ON COLUMN curated.spotify_api_artists.artist_id IS 'Spotify artist id.';
COMMENT ON COLUMN curated.spotify_api_artists.status IS 'found, or not_found when Spotify answered null (batch) or 404 (single) for the id.';
COMMENT ON COLUMN curated.spotify_api_artists.fetched_at IS 'When Spotify answered.';
COMMENT ON COLUMN curated.spotify_api_artists.artist_name IS 'Artist name (name).';
COMMENT ON COLUMN curated.spotify_api_artists.genres IS 'genres in Spotify''s order (empty for many artists; null when Spotify no longer sends the field).';

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON curated.spotify_api_tracks, curated.spotify_api_artists TO lake_reader;
    END IF;
END
$$;
