-- One listener's playlist pruning suggestions: each playlist or saved track of their export with its reasons to go (not streamed in the last 12 months, mostly skipped, a duplicate).
-- inputs: curated.playlist_items, curated.library_items, marts.hourly_plays, marts.insight_end
-- The last 12 months end at marts.insight_end (the export's last play when nothing came after
-- as_of). A track is its URI, else its artist and track names; plays match it by either, so an
-- account play without a URI still counts. Reasons, in this order: not_streamed (no stream in the
-- last 12 months), mostly_skipped (3 or more plays with a known skip flag, at least 2 of 3 of them
-- skipped), duplicate_in_playlist (every copy after the first in the same playlist),
-- duplicate_of_other_playlist (a copy in a playlist after the first, by name in byte order, that
-- holds it). Saved tracks (YourLibrary.json, playlist "Liked Songs", position null) take the first
-- two reasons only: a liked track that is also in a playlist is how Spotify's library works.
-- Episodes, audiobooks and empty items are left out; tracks without a reason give no row.
CREATE FUNCTION marts.playlist_pruning(listener text, as_of date)
RETURNS TABLE (playlist_name text, playlist_position integer, track_name text, artist_name text, track_uri text,
               reasons text[])
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
WITH e AS (
    SELECT marts.insight_end(listener, as_of) AS end_date
),
items AS (
    SELECT i.playlist_name, i.position, i.track_name, i.artist_name,
           CASE WHEN i.uri LIKE 'spotify:track:%' THEN i.uri END AS track_uri, false AS saved
    FROM curated.playlist_items i
    WHERE i.listener = playlist_pruning.listener AND i.item_type IN ('track', 'local_track')
    UNION ALL
    SELECT 'Liked Songs', NULL, l.name, l.artist_name,
           CASE WHEN l.uri LIKE 'spotify:track:%' THEN l.uri END, true
    FROM curated.library_items l
    WHERE l.listener = playlist_pruning.listener AND l.item_type = 'track'
),
tracks AS (
    SELECT DISTINCT t.track_uri, t.track_name, t.artist_name FROM items t
),
played AS (
    SELECT t.track_uri, t.track_name, t.artist_name,
           coalesce(sum(h.counted_plays) FILTER (WHERE h.local_date > (e.end_date - interval '12 months')::date), 0) AS recent,
           coalesce(sum(h.skip_known), 0) AS known, coalesce(sum(h.skips), 0) AS skips
    FROM tracks t
    CROSS JOIN e
    LEFT JOIN marts.hourly_plays h
           ON h.listener = playlist_pruning.listener AND h.media = 'music' AND h.local_date <= e.end_date
          AND (h.item_key = t.track_uri OR (h.artist_name = t.artist_name AND h.track_name = t.track_name))
    GROUP BY t.track_uri, t.track_name, t.artist_name
),
copies AS (
    SELECT t.*,
           row_number() OVER (PARTITION BY t.playlist_name, coalesce(t.track_uri, t.artist_name || E'\t' || t.track_name)
                              ORDER BY t.position) AS copy_in_playlist,
           dense_rank() OVER (PARTITION BY coalesce(t.track_uri, t.artist_name || E'\t' || t.track_name)
                              ORDER BY t.playlist_name COLLATE "C") AS playlist_of_track
    FROM items t
    WHERE NOT t.saved
    UNION ALL
    SELECT t.*, 1, 1 FROM items t WHERE t.saved
),
judged AS (
    SELECT c.playlist_name, c.position, c.track_name, c.artist_name, c.track_uri,
           array_remove(ARRAY[
               CASE WHEN p.recent = 0 THEN 'not_streamed' END,
               CASE WHEN p.known >= 3 AND 3 * p.skips >= 2 * p.known THEN 'mostly_skipped' END,
               CASE WHEN c.copy_in_playlist > 1 THEN 'duplicate_in_playlist' END,
               CASE WHEN c.playlist_of_track > 1 AND c.copy_in_playlist = 1 THEN 'duplicate_of_other_playlist' END
           ], NULL) AS reasons
    FROM copies c
    JOIN played p ON p.track_uri IS NOT DISTINCT FROM c.track_uri
                 AND p.track_name IS NOT DISTINCT FROM c.track_name
                 AND p.artist_name IS NOT DISTINCT FROM c.artist_name
)
SELECT j.playlist_name, j.position, j.track_name, j.artist_name, j.track_uri, j.reasons
FROM judged j
WHERE j.reasons <> '{}'
ORDER BY j.playlist_name COLLATE "C", j.position NULLS LAST, j.track_name COLLATE "C", j.artist_name COLLATE "C"
$$;
COMMENT ON FUNCTION marts.playlist_pruning(text, date) IS 'One listener''s playlist pruning suggestions: each playlist or saved track with its reasons to go (not_streamed in the last 12 months, mostly_skipped, duplicate_in_playlist, duplicate_of_other_playlist); a suggestion list, never a change.';
