CREATE TEMP TABLE stage_library_items ON COMMIT DROP AS
SELECT item_type, name, artist_name, album_name, publisher, uri
FROM curated.library_items
WITH NO DATA
