-- Spotify's Wrapped file is checked against schemas/spotify_wrapped.schema.json at ingest: a field
-- that fails is stored as null and listed in rejected_fields. Rows loaded before this check may
-- hold anything (a day "2024-13-45", a play count "many"), and the view cast them straight, so one
-- such row failed every SELECT of marts.spotify_wrapped, everyone's. The view now reads each figure
-- through a function that gives null for what the schema would reject, instead of failing
-- (sql/models/marts/spotify/).
ALTER TABLE curated.spotify_wrapped ADD COLUMN rejected_fields jsonb;
COMMENT ON COLUMN curated.spotify_wrapped.rejected_fields IS 'Fields of the file that failed its schema and are null in document, e.g. [{"field": "yearlyMetrics.mostListenedDay", "reason": "..."}]; [] when none did; null for rows loaded before the check (migration 021).';
