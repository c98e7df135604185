-- Totals per listener and local calendar year (private sessions left out).
-- inputs: marts.listener_months
CREATE VIEW marts.listener_years AS
SELECT listener, extract(year FROM month)::int AS year,
       sum(music_plays)::bigint AS music_plays, sum(streams)::bigint AS streams,
       round(sum(music_ms) / 60000.0, 2) AS music_minutes, round(sum(podcast_ms) / 60000.0, 2) AS podcast_minutes,
       sum(music_ms)::bigint AS music_ms, sum(podcast_ms)::bigint AS podcast_ms
FROM marts.listener_months
GROUP BY 1, 2;
COMMENT ON VIEW marts.listener_years IS 'Totals per listener and local calendar year (private sessions left out).';
COMMENT ON COLUMN marts.listener_years.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.listener_years.year IS 'Calendar year in the listener''s zone.';
COMMENT ON COLUMN marts.listener_years.music_plays IS 'Music plays of any length.';
COMMENT ON COLUMN marts.listener_years.streams IS 'Music plays of 30 s or more.';
COMMENT ON COLUMN marts.listener_years.music_minutes IS 'Minutes of music, 2 decimals.';
COMMENT ON COLUMN marts.listener_years.podcast_minutes IS 'Minutes of podcasts, 2 decimals.';
COMMENT ON COLUMN marts.listener_years.music_ms IS 'Milliseconds of music.';
COMMENT ON COLUMN marts.listener_years.podcast_ms IS 'Milliseconds of podcasts.';
