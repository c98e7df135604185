-- Audio features per country and UTC month of the simulated feed, each track weighted by its streams: which countries dance more, which get sadder in winter.
-- inputs: marts.feed_plays, curated.feed_tracks
-- A feature's mean is over the streams of tracks that have it (curated.feed_tracks); streams
-- counts every stream of the country's listeners that month. Flagged accounts are left out with
-- marts.feed_plays (SET lake.include_flagged = on counts them).
CREATE VIEW marts.country_audio_by_month AS
WITH streams AS (
    SELECT country, date_trunc('month', utc_hour AT TIME ZONE 'UTC')::date AS month, item_key, sum(streams) AS streams
    FROM marts.feed_plays
    WHERE country IS NOT NULL AND streams > 0
    GROUP BY 1, 2, 3
)
SELECT s.country, s.month, sum(s.streams)::bigint AS streams,
       sum(s.streams * t.danceability) / nullif(sum(s.streams) FILTER (WHERE t.danceability IS NOT NULL), 0) AS danceability,
       sum(s.streams * t.energy) / nullif(sum(s.streams) FILTER (WHERE t.energy IS NOT NULL), 0) AS energy,
       sum(s.streams * t.valence) / nullif(sum(s.streams) FILTER (WHERE t.valence IS NOT NULL), 0) AS valence,
       sum(s.streams * t.tempo) / nullif(sum(s.streams) FILTER (WHERE t.tempo IS NOT NULL), 0) AS tempo,
       sum(s.streams * t.acousticness) / nullif(sum(s.streams) FILTER (WHERE t.acousticness IS NOT NULL), 0) AS acousticness,
       NULL::double precision AS mode
FROM streams s
LEFT JOIN curated.feed_tracks t ON s.item_key = 'spotify:track:' || t.track_id
GROUP BY s.country, s.month;
COMMENT ON VIEW marts.country_audio_by_month IS 'Audio features per country and UTC month of the simulated feed, each track weighted by its streams; flagged accounts left out unless lake.include_flagged is on.';
COMMENT ON COLUMN marts.country_audio_by_month.country IS 'ISO country code of the listeners (curated.feed_users.country).';
COMMENT ON COLUMN marts.country_audio_by_month.month IS 'First day of the UTC month.';
COMMENT ON COLUMN marts.country_audio_by_month.streams IS 'Plays of 30 s or more by the country''s listeners that month.';
COMMENT ON COLUMN marts.country_audio_by_month.danceability IS 'Stream-weighted mean danceability 0-1 (over streams of tracks that have it).';
COMMENT ON COLUMN marts.country_audio_by_month.energy IS 'Stream-weighted mean energy 0-1.';
COMMENT ON COLUMN marts.country_audio_by_month.valence IS 'Stream-weighted mean valence 0-1 (low: sad, high: happy).';
COMMENT ON COLUMN marts.country_audio_by_month.tempo IS 'Stream-weighted mean tempo in BPM.';
COMMENT ON COLUMN marts.country_audio_by_month.acousticness IS 'Stream-weighted mean acousticness 0-1.';
COMMENT ON COLUMN marts.country_audio_by_month.mode IS 'Always null: the feed''s catalogue (curated.feed_tracks, the simulator''s Avro schema) carries no mode (major/minor); kept so the column is there when a catalogue brings it.';
