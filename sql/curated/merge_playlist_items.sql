-- Playlist positions once per listener; a later export with an edited playlist adds its new state.
WITH inserted AS (
    INSERT INTO curated.playlist_items (
        listener, playlist_name, last_modified, description, followers, position, item_type,
        track_name, artist_name, album_name, uri, added_date, file_id, item_key)
    SELECT %(listener)s::text, s.playlist_name, s.last_modified, s.description, s.followers, s.position,
           s.item_type, s.track_name, s.artist_name, s.album_name, s.uri, s.added_date,
           %(file_id)s::bigint,
           md5(concat_ws(chr(31), s.playlist_name, coalesce(s.last_modified::text, ''), s.position,
                         s.item_type, coalesce(s.uri, ''), coalesce(s.track_name, ''),
                         coalesce(s.artist_name, '')))::uuid
    FROM stage_playlist_items s
    ON CONFLICT (listener, item_key) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM inserted
