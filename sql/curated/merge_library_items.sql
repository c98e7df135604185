-- Library items once per listener, however many exports list them.
WITH inserted AS (
    INSERT INTO curated.library_items (
        listener, item_type, name, artist_name, album_name, publisher, uri, file_id, item_key)
    SELECT %(listener)s::text, s.item_type, s.name, s.artist_name, s.album_name, s.publisher, s.uri,
           %(file_id)s::bigint,
           md5(concat_ws(chr(31), s.item_type, coalesce(s.uri, ''), coalesce(s.name, ''),
                         coalesce(s.artist_name, ''), coalesce(s.album_name, '')))::uuid
    FROM stage_library_items s
    ON CONFLICT (listener, item_key) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM inserted
