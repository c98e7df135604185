CREATE TEMP TABLE stage_playlist_items ON COMMIT DROP AS
SELECT playlist_name, last_modified, description, followers, position, item_type,
       track_name, artist_name, album_name, uri, added_date
FROM curated.playlist_items
WITH NO DATA
