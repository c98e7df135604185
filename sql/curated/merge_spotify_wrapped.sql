-- Spotify's Wrapped once per listener and year; a later export's file of the same year replaces it.
WITH merged AS (
    INSERT INTO curated.spotify_wrapped (listener, year, document, rejected_fields, file_id)
    SELECT %(listener)s::text, s.year, s.document::jsonb, s.rejected_fields::jsonb, %(file_id)s::bigint
    FROM stage_spotify_wrapped s
    ON CONFLICT (listener, year) DO UPDATE
        SET document = excluded.document, rejected_fields = excluded.rejected_fields, file_id = excluded.file_id
    WHERE (curated.spotify_wrapped.document, curated.spotify_wrapped.rejected_fields)
          IS DISTINCT FROM (excluded.document, excluded.rejected_fields)
    RETURNING 1
)
SELECT count(*) FROM merged
