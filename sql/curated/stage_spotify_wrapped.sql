CREATE TEMP TABLE stage_spotify_wrapped (year integer, document text) ON COMMIT DROP
