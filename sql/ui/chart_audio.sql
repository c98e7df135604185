-- The mean sound of one scope's chart of a week (marts.chart_audio_features); no row without a chart.
SELECT tracks, danceability, energy, valence, acousticness, tempo
FROM marts.chart_audio_features
WHERE scope = %(scope)s AND week_start = %(week)s
