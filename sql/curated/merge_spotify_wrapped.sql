-- Spotify's Wrapped once per listener and year; a later export's file of the same year replaces it.
WITH merged AS (
    INSERT INTO curated.spotify_wrapped (listener, year, document, file_id)
    SELECT %(listener)s::text, s.year, s.document::jsonb, %(file_id)s::bigint
    FROM stage_spotify_wrapped s
    ON CONFLICT (listener, year) DO UPDATE SET document = excluded.document, file_id = excluded.file_id
    WHERE curated.spotify_wrapped.document IS DISTINCT FROM excluded.document
    RETURNING 1
)
SELECT count(*) FROM merged
