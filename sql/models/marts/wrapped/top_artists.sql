-- Each listener's top 5 artists per local calendar year, by music minutes, then name.
-- inputs: marts.listener_years, marts.window_top_artists
-- The Wrapped's own list (marts.window_top_artists) for every listener-year, calendar rules.
CREATE VIEW marts.top_artists AS
SELECT y.listener, y.year, t.rank, t.artist_name, round(t.ms / 60000.0, 2) AS minutes, t.streams::bigint AS streams
FROM marts.listener_years y
CROSS JOIN LATERAL marts.window_top_artists(y.listener, make_date(y.year, 1, 1), make_date(y.year, 12, 31),
                                            '-infinity', 'infinity', false) t;
COMMENT ON VIEW marts.top_artists IS 'Each listener''s top 5 artists per local calendar year, by music minutes, then name.';
COMMENT ON COLUMN marts.top_artists.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.top_artists.year IS 'Calendar year in the listener''s zone.';
COMMENT ON COLUMN marts.top_artists.rank IS '1 to 5.';
COMMENT ON COLUMN marts.top_artists.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.top_artists.minutes IS 'Minutes of the artist''s music that year, every play.';
COMMENT ON COLUMN marts.top_artists.streams IS 'Plays of 30 s or more.';
