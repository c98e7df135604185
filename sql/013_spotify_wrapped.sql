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

CREATE VIEW marts.spotify_wrapped AS
SELECT listener, year,
       left(document #>> '{yearlyMetrics,mostListenedDay}', 10)::date AS most_listened_day,
       (document #>> '{yearlyMetrics,mostListenedDayMinutes}')::numeric AS most_listened_day_minutes,
       (document #>> '{topTracks,topTrackPlayCount}')::integer AS top_track_play_count,
       left(document #>> '{topTracks,topTrackFirstPlayedDate}', 10)::date AS top_track_first_played,
       round((document #>> '{topPodcasts,topPodcastMilliseconds}')::numeric / 60000, 2) AS top_podcast_minutes
FROM curated.spotify_wrapped;
COMMENT ON VIEW marts.spotify_wrapped IS 'The headline figures of Spotify''s own Wrapped, to set beside the lake''s spotify window.';
COMMENT ON COLUMN marts.spotify_wrapped.listener IS 'Owner of the export.';
COMMENT ON COLUMN marts.spotify_wrapped.year IS 'Wrapped year.';
COMMENT ON COLUMN marts.spotify_wrapped.most_listened_day IS 'yearlyMetrics.mostListenedDay.';
COMMENT ON COLUMN marts.spotify_wrapped.most_listened_day_minutes IS 'yearlyMetrics.mostListenedDayMinutes.';
COMMENT ON COLUMN marts.spotify_wrapped.top_track_play_count IS 'topTracks.topTrackPlayCount.';
COMMENT ON COLUMN marts.spotify_wrapped.top_track_first_played IS 'topTracks.topTrackFirstPlayedDate.';
COMMENT ON COLUMN marts.spotify_wrapped.top_podcast_minutes IS 'topPodcasts.topPodcastMilliseconds in minutes, 2 decimals.';

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON curated.spotify_wrapped, marts.spotify_wrapped TO lake_reader;
    END IF;
END
$$;
