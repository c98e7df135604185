-- Audio features per country and UTC month of the simulated feed, each track weighted by its streams: which countries dance more, which get sadder in winter.
-- inputs: marts.hourly_plays, curated.feed_users, marts.flagged_listeners, curated.feed_tracks
-- A feature's mean is over the streams of tracks that have it (curated.feed_tracks); streams
-- counts every stream of the country's listeners that month. Flagged accounts are left out, as in
-- marts.feed_plays (marts.flagged_listeners; SET lake.include_flagged = on counts them). The
-- country's listeners' fact rows are read listener by listener through the fact's key (OFFSET 0
-- keeps each read apart, as marts.weekly_charts does): a country is a twelfth of the feed, and
-- scanning the whole fact for it took 2.7 s at 10 million plays, these reads 0.9 s (and every
-- country 12.5 s instead of 18 s).
CREATE VIEW marts.country_audio_by_month AS
WITH streams AS (
    SELECT u.country, date_trunc('month', h.utc_hour AT TIME ZONE 'UTC')::date AS month, h.item_key,
           sum(h.counted_plays) AS streams
    FROM curated.feed_users u
    CROSS JOIN LATERAL (
        SELECT h.utc_hour, h.item_key, h.counted_plays
        FROM marts.hourly_plays h
        WHERE h.listener = u.listener AND h.media = 'music' AND h.counted_plays > 0
        OFFSET 0
    ) AS h
    WHERE u.country IS NOT NULL AND u.listener NOT IN (SELECT listener FROM marts.flagged_listeners)
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
