-- A country's sound per month (marts.country_audio_by_month); for GLOBAL every country's,
-- weighted by its streams (a country's mean is over its streams of tracks with the feature, so this
-- is close to, not exactly, the mean over every stream).
SELECT month, sum(streams)::bigint AS streams,
       sum(streams * danceability) / nullif(sum(streams) FILTER (WHERE danceability IS NOT NULL), 0) AS danceability,
       sum(streams * energy) / nullif(sum(streams) FILTER (WHERE energy IS NOT NULL), 0) AS energy,
       sum(streams * valence) / nullif(sum(streams) FILTER (WHERE valence IS NOT NULL), 0) AS valence,
       sum(streams * acousticness) / nullif(sum(streams) FILTER (WHERE acousticness IS NOT NULL), 0) AS acousticness,
       sum(streams * tempo) / nullif(sum(streams) FILTER (WHERE tempo IS NOT NULL), 0) AS tempo
FROM marts.country_audio_by_month
WHERE %(scope)s IN ('GLOBAL', country)
GROUP BY month
ORDER BY month
