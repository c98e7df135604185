-- The headline figures of Spotify's own Wrapped, to set beside the lake's spotify window.
-- inputs: curated.spotify_wrapped, marts.json_amount_or_null, marts.json_count_or_null, marts.json_date_or_null
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
CREATE OR REPLACE VIEW marts.spotify_wrapped AS
SELECT listener, year,
       marts.json_date_or_null(document #> '{yearlyMetrics,mostListenedDay}') AS most_listened_day,
       marts.json_amount_or_null(document #> '{yearlyMetrics,mostListenedDayMinutes}') AS most_listened_day_minutes,
       marts.json_count_or_null(document #> '{topTracks,topTrackPlayCount}') AS top_track_play_count,
       marts.json_date_or_null(document #> '{topTracks,topTrackFirstPlayedDate}') AS top_track_first_played,
       round(marts.json_amount_or_null(document #> '{topPodcasts,topPodcastMilliseconds}') / 60000, 2)
           AS top_podcast_minutes,
       rejected_fields
FROM curated.spotify_wrapped;
COMMENT ON COLUMN marts.spotify_wrapped.most_listened_day IS 'yearlyMetrics.mostListenedDay; null when missing or not a date.';
COMMENT ON COLUMN marts.spotify_wrapped.most_listened_day_minutes IS 'yearlyMetrics.mostListenedDayMinutes; null when missing or not a number of 0 or more.';
COMMENT ON COLUMN marts.spotify_wrapped.top_track_play_count IS 'topTracks.topTrackPlayCount; null when missing or not a whole count.';
COMMENT ON COLUMN marts.spotify_wrapped.top_track_first_played IS 'topTracks.topTrackFirstPlayedDate; null when missing or not a date.';
COMMENT ON COLUMN marts.spotify_wrapped.top_podcast_minutes IS 'topPodcasts.topPodcastMilliseconds in minutes, 2 decimals; null when missing or not a number of 0 or more.';
COMMENT ON COLUMN marts.spotify_wrapped.rejected_fields IS 'Fields of the file that failed its schema at ingest, with the reason (curated.spotify_wrapped.rejected_fields): why a figure is null.';
