COPY (
    SELECT item_type, name, artist_name, album_name, publisher, uri, file_id
    FROM curated.library_items WHERE listener = %(listener)s::text
    ORDER BY item_type, name, uri
) TO STDOUT (FORMAT csv, HEADER true)
