-- The headline figures of Spotify's own Wrapped, to set beside the lake's spotify window.
-- inputs: curated.spotify_wrapped, marts.json_amount_or_null, marts.json_count_or_null, marts.json_date_or_null
-- Each figure is read through a function that gives null for what the file's schema would reject
-- (rows loaded before ingest checked the file may hold anything), so one bad row never fails
-- every SELECT of the view, everyone's.
CREATE VIEW marts.spotify_wrapped AS
SELECT listener, year,
       marts.json_date_or_null(document #> '{yearlyMetrics,mostListenedDay}') AS most_listened_day,
       marts.json_amount_or_null(document #> '{yearlyMetrics,mostListenedDayMinutes}') AS most_listened_day_minutes,
       marts.json_count_or_null(document #> '{topTracks,topTrackPlayCount}') AS top_track_play_count,
       marts.json_date_or_null(document #> '{topTracks,topTrackFirstPlayedDate}') AS top_track_first_played,
       round(marts.json_amount_or_null(document #> '{topPodcasts,topPodcastMilliseconds}') / 60000, 2)
           AS top_podcast_minutes,
       rejected_fields
FROM curated.spotify_wrapped;
COMMENT ON VIEW marts.spotify_wrapped IS 'The headline figures of Spotify''s own Wrapped, to set beside the lake''s spotify window.';
COMMENT ON COLUMN marts.spotify_wrapped.listener IS 'Owner of the export.';
COMMENT ON COLUMN marts.spotify_wrapped.year IS 'Wrapped year.';
COMMENT ON COLUMN marts.spotify_wrapped.most_listened_day IS 'yearlyMetrics.mostListenedDay; null when missing or not a date.';
COMMENT ON COLUMN marts.spotify_wrapped.most_listened_day_minutes IS 'yearlyMetrics.mostListenedDayMinutes; null when missing or not a number of 0 or more.';
COMMENT ON COLUMN marts.spotify_wrapped.top_track_play_count IS 'topTracks.topTrackPlayCount; null when missing or not a whole count.';
COMMENT ON COLUMN marts.spotify_wrapped.top_track_first_played IS 'topTracks.topTrackFirstPlayedDate; null when missing or not a date.';
COMMENT ON COLUMN marts.spotify_wrapped.top_podcast_minutes IS 'topPodcasts.topPodcastMilliseconds in minutes, 2 decimals; null when missing or not a number of 0 or more.';
COMMENT ON COLUMN marts.spotify_wrapped.rejected_fields IS 'Fields of the file that failed its schema at ingest, with the reason (curated.spotify_wrapped.rejected_fields): why a figure is null.';
