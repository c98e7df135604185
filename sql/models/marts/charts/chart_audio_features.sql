-- Mean audio features of the tracks of each weekly chart (marts.weekly_charts): which charts dance more, which are sadder.
-- inputs: marts.weekly_charts, curated.feed_tracks
-- A plain mean over the chart's tracks the feed's catalogue knows (curated.feed_tracks), each
-- track once whatever its rank; a feature a track lacks is left out of that feature's mean.
CREATE VIEW marts.chart_audio_features AS
SELECT c.scope, c.week_start, count(t.track_id)::int AS tracks,
       avg(t.danceability) AS danceability, avg(t.energy) AS energy, avg(t.valence) AS valence,
       avg(t.tempo) AS tempo, avg(t.acousticness) AS acousticness, NULL::double precision AS mode
FROM marts.weekly_charts c
LEFT JOIN curated.feed_tracks t ON c.item_key = 'spotify:track:' || t.track_id
GROUP BY c.scope, c.week_start;
COMMENT ON VIEW marts.chart_audio_features IS 'Mean audio features of the tracks of each weekly chart (marts.weekly_charts); flagged accounts left out of the charts unless lake.include_flagged is on.';
COMMENT ON COLUMN marts.chart_audio_features.scope IS 'ISO country code, or GLOBAL (as marts.weekly_charts).';
COMMENT ON COLUMN marts.chart_audio_features.week_start IS 'Monday of the ISO week (UTC days).';
COMMENT ON COLUMN marts.chart_audio_features.tracks IS 'Tracks of the chart found in curated.feed_tracks (the means are over these).';
COMMENT ON COLUMN marts.chart_audio_features.danceability IS 'Mean danceability 0-1.';
COMMENT ON COLUMN marts.chart_audio_features.energy IS 'Mean energy 0-1.';
COMMENT ON COLUMN marts.chart_audio_features.valence IS 'Mean valence 0-1 (low: sad, high: happy).';
COMMENT ON COLUMN marts.chart_audio_features.tempo IS 'Mean tempo in BPM.';
COMMENT ON COLUMN marts.chart_audio_features.acousticness IS 'Mean acousticness 0-1.';
COMMENT ON COLUMN marts.chart_audio_features.mode IS 'Always null: the feed''s catalogue (curated.feed_tracks, the simulator''s Avro schema) carries no mode (major/minor); kept so the column is there when a catalogue brings it.';
