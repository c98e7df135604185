-- Each listener's top 5 streamed tracks per local calendar year, by streams, then minutes, then name.
-- inputs: marts.listener_years, marts.window_top_tracks
-- The Wrapped's own list (marts.window_top_tracks) for every listener-year, calendar rules.
CREATE VIEW marts.top_tracks AS
SELECT y.listener, y.year, t.rank, t.item_key, t.track_name, t.artist_name, t.streams::bigint AS streams,
       round(t.ms / 60000.0, 2) AS minutes, t.first_played
FROM marts.listener_years y
CROSS JOIN LATERAL marts.window_top_tracks(y.listener, make_date(y.year, 1, 1), make_date(y.year, 12, 31),
                                           '-infinity', 'infinity', false, false) t;
COMMENT ON VIEW marts.top_tracks IS 'Each listener''s top 5 streamed tracks per local calendar year, by streams, then minutes, then name.';
COMMENT ON COLUMN marts.top_tracks.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.top_tracks.year IS 'Calendar year in the listener''s zone.';
COMMENT ON COLUMN marts.top_tracks.rank IS '1 to 5.';
COMMENT ON COLUMN marts.top_tracks.item_key IS 'Track identity (URI, or names when nothing gives one).';
COMMENT ON COLUMN marts.top_tracks.track_name IS 'Track name.';
COMMENT ON COLUMN marts.top_tracks.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.top_tracks.streams IS 'Plays of 30 s or more.';
COMMENT ON COLUMN marts.top_tracks.minutes IS 'Minutes, every play.';
COMMENT ON COLUMN marts.top_tracks.first_played IS 'Local date of the first play (any length) that year.';
