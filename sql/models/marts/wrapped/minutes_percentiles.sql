-- Per listener and year, the share of the year's other listeners with fewer music minutes ("you listened more than 83% of listeners").
-- inputs: marts.listener_years
CREATE VIEW marts.minutes_percentiles AS
SELECT listener, year, music_minutes,
       count(*) OVER (PARTITION BY year) AS listeners,
       CASE WHEN count(*) OVER (PARTITION BY year) > 1
            THEN round((100 * percent_rank() OVER (PARTITION BY year ORDER BY music_ms))::numeric, 2) END AS percentile
FROM marts.listener_years;
COMMENT ON VIEW marts.minutes_percentiles IS 'Per listener and year, the share of the year''s other listeners with fewer music minutes ("you listened more than 83% of listeners").';
COMMENT ON COLUMN marts.minutes_percentiles.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.minutes_percentiles.year IS 'Calendar year in the listener''s zone.';
COMMENT ON COLUMN marts.minutes_percentiles.music_minutes IS 'Minutes of music that year.';
COMMENT ON COLUMN marts.minutes_percentiles.listeners IS 'Listeners with plays that year (exports and simulated users).';
COMMENT ON COLUMN marts.minutes_percentiles.percentile IS 'Percent (0-100, 2 decimals) of the other listeners of the year with fewer music minutes; null for a lone listener.';
