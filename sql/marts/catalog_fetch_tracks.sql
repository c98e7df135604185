-- Track URIs of the listeners' plays, saved tracks and playlists still to ask Spotify about: no
-- earlier run stored an answer for them, and the catalog lacks them (or lacks their release year,
-- as the public Spotify Tracks Dataset does). Only well-formed ids: Spotify answers 400 to others.
WITH uris AS (
    SELECT track_uri AS uri FROM curated.play_rows
    WHERE listener = ANY (%(listeners)s) AND source <> 'feed' AND track_uri IS NOT NULL
    UNION
    SELECT uri FROM curated.library_items WHERE listener = ANY (%(listeners)s) AND item_type = 'track'
    UNION
    SELECT uri FROM curated.playlist_items WHERE listener = ANY (%(listeners)s) AND item_type = 'track'
)
SELECT u.uri
FROM uris u
LEFT JOIN curated.catalog_tracks c ON c.track_uri = u.uri
WHERE u.uri ~ '^spotify:track:[0-9A-Za-z]{22}$'
  AND (c.track_uri IS NULL OR c.release_year IS NULL)
  AND NOT EXISTS (SELECT FROM curated.spotify_api_tracks s WHERE s.track_uri = u.uri)
ORDER BY u.uri COLLATE "C"
