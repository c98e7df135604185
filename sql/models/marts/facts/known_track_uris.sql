-- The URI each artist and track name has in a rebuilt export listener's own data (a build's temporary table).
-- inputs: build_targets, curated.play_rows, curated.library_items, curated.playlist_items
-- Track identity for account plays (they carry names, no URI): per export listener being rebuilt,
-- the URI their extended history, library or playlists give each artist and track name. A table
-- with a key, so the fact looks up only the account plays that lack a URI instead of joining
-- every play (a hash join of ten million feed plays against it cost more than the rest of the scan).
CREATE TEMPORARY TABLE known_track_uris ON COMMIT DROP AS
SELECT listener, artist_name, track_name, min(uri) AS uri
FROM (
    SELECT p.listener, p.artist_name, p.track_name, p.track_uri AS uri
    FROM curated.play_rows p JOIN build_targets t USING (listener)
    WHERE NOT t.feed AND p.source = 'extended' AND p.track_uri IS NOT NULL
    UNION ALL
    SELECT l.listener, l.artist_name, l.name, l.uri
    FROM curated.library_items l JOIN build_targets t USING (listener)
    WHERE NOT t.feed AND l.item_type = 'track' AND l.uri LIKE 'spotify:track:%%'
    UNION ALL
    SELECT i.listener, i.artist_name, i.track_name, i.uri
    FROM curated.playlist_items i JOIN build_targets t USING (listener)
    WHERE NOT t.feed AND i.item_type = 'track' AND i.uri LIKE 'spotify:track:%%'
) known
WHERE artist_name IS NOT NULL AND track_name IS NOT NULL
GROUP BY 1, 2, 3;
ALTER TABLE known_track_uris ADD PRIMARY KEY (listener, artist_name, track_name);
ANALYZE known_track_uris
