COPY (
    SELECT playlist_name, last_modified, description, followers, position, item_type,
           track_name, artist_name, album_name, uri, added_date, file_id
    FROM curated.playlist_items WHERE listener = %(listener)s::text
    ORDER BY playlist_name, last_modified, position
) TO STDOUT (FORMAT csv, HEADER true)
