-- Spotify's own Wrapped from the export (WrappedYYYY.json), beside the lake's figures.
CREATE TABLE curated.spotify_wrapped (
    listener  text    NOT NULL,
    year      integer NOT NULL,
    document  jsonb   NOT NULL,
    file_id   bigint  NOT NULL,
    PRIMARY KEY (listener, year)
);
COMMENT ON TABLE curated.spotify_wrapped IS 'Spotify''s own Wrapped per listener and year, as the export''s WrappedYYYY.json holds it (a later file of the same year replaces it).';
COMMENT ON COLUMN curated.spotify_wrapped.listener IS 'Owner of the export.';
COMMENT ON COLUMN curated.spotify_wrapped.year IS 'Wrapped year (the document''s own, else the file name''s).';
COMMENT ON COLUMN curated.spotify_wrapped.document IS 'The whole JSON document, e.g. yearlyMetrics.mostListenedDay, topTracks.topTrackPlayCount, topPodcasts.topPodcastMilliseconds.';
COMMENT ON COLUMN curated.spotify_wrapped.file_id IS 'ingest.files row that loaded it.';

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON curated.spotify_wrapped TO lake_reader;
    END IF;
END
$$;
