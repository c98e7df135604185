CREATE TEMP TABLE stage_spotify_wrapped (year integer, document text, rejected_fields text) ON COMMIT DROP
