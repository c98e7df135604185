-- Each listener's top 5 streamed tracks per local calendar year, by streams, then minutes, then name.
-- inputs: marts.hourly_plays
CREATE VIEW marts.top_tracks AS
SELECT listener, year, rank, item_key, track_name, artist_name, streams, minutes, first_played
FROM (
    SELECT listener, extract(year FROM local_date)::int AS year, item_key,
           min(track_name) AS track_name, min(artist_name) AS artist_name,
           sum(counted_plays)::bigint AS streams, round(sum(ms_played) / 60000.0, 2) AS minutes,
           min(local_date) AS first_played,
           row_number() OVER (PARTITION BY listener, extract(year FROM local_date)::int
                              ORDER BY sum(counted_plays) DESC, sum(ms_played) DESC, min(track_name) COLLATE "C",
                                       item_key COLLATE "C") AS rank
    FROM marts.hourly_plays
    WHERE media = 'music'
    GROUP BY listener, extract(year FROM local_date)::int, item_key
    HAVING sum(counted_plays) > 0
) ranked
WHERE rank <= 5;
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
