-- Each listener's first stream of each track over their whole history (a view: a table of it cost a third of the build and no Wrapped figure needs it).
-- inputs: marts.hourly_plays
CREATE VIEW marts.track_firsts AS
SELECT listener, item_key, min(track_name) AS track_name, min(artist_name) AS artist_name,
       min(local_date) AS first_stream_date
FROM marts.hourly_plays
WHERE media = 'music' AND counted_plays > 0
GROUP BY listener, item_key;
COMMENT ON VIEW marts.track_firsts IS 'Each listener''s first stream of each track over their whole history (a view: a table of it cost a third of the build and no Wrapped figure needs it).';
COMMENT ON COLUMN marts.track_firsts.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.track_firsts.item_key IS 'Track identity (marts.hourly_plays.item_key).';
COMMENT ON COLUMN marts.track_firsts.track_name IS 'Track name.';
COMMENT ON COLUMN marts.track_firsts.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.track_firsts.first_stream_date IS 'Local date of the first stream (music play of 30 s or more) of this track.';
