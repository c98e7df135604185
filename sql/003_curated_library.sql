-- Library, playlists and search history from the Account data package.
CREATE TABLE curated.library_items (
    listener    text NOT NULL,
    item_type   text NOT NULL CHECK (item_type IN ('track', 'album', 'artist', 'show', 'episode', 'banned_track', 'banned_artist', 'other')),
    name        text,
    artist_name text,
    album_name  text,
    publisher   text,
    uri         text,
    file_id     bigint NOT NULL REFERENCES ingest.files (file_id),
    item_key    uuid NOT NULL,
    PRIMARY KEY (listener, item_key)
);
COMMENT ON TABLE curated.library_items IS 'Saved items from YourLibrary.json: tracks, albums, artists, shows, episodes, bans.';
COMMENT ON COLUMN curated.library_items.listener IS 'Owner of the library.';
COMMENT ON COLUMN curated.library_items.item_type IS 'Which YourLibrary.json list the item came from.';
COMMENT ON COLUMN curated.library_items.name IS 'Track, album, artist, show or episode name.';
COMMENT ON COLUMN curated.library_items.artist_name IS 'Artist of a saved track or album.';
COMMENT ON COLUMN curated.library_items.album_name IS 'Album of a saved track.';
COMMENT ON COLUMN curated.library_items.publisher IS 'Publisher of a saved show.';
COMMENT ON COLUMN curated.library_items.uri IS 'Spotify URI when exported.';
COMMENT ON COLUMN curated.library_items.file_id IS 'ingest.files row that loaded the item.';
COMMENT ON COLUMN curated.library_items.item_key IS 'Identity of the item (type, names, uri) so repeated exports count once.';

CREATE TABLE curated.playlist_items (
    listener          text NOT NULL,
    playlist_name     text NOT NULL,
    last_modified     date,
    description       text,
    followers         integer,
    position          integer NOT NULL,
    item_type         text NOT NULL CHECK (item_type IN ('track', 'episode', 'audiobook', 'local_track', 'empty')),
    track_name        text,
    artist_name       text,
    album_name        text,
    uri               text,
    added_date        date,
    file_id           bigint NOT NULL REFERENCES ingest.files (file_id),
    item_key          uuid NOT NULL,
    PRIMARY KEY (listener, item_key)
);
COMMENT ON TABLE curated.playlist_items IS 'Items of the listener''s playlists (Playlist1.json, ...), one row per playlist position.';
COMMENT ON COLUMN curated.playlist_items.listener IS 'Owner of the export.';
COMMENT ON COLUMN curated.playlist_items.playlist_name IS 'Playlist name.';
COMMENT ON COLUMN curated.playlist_items.last_modified IS 'lastModifiedDate of the playlist.';
COMMENT ON COLUMN curated.playlist_items.description IS 'Playlist description with HTML entities decoded.';
COMMENT ON COLUMN curated.playlist_items.followers IS 'numberOfFollowers.';
COMMENT ON COLUMN curated.playlist_items.position IS 'Zero-based position in the playlist.';
COMMENT ON COLUMN curated.playlist_items.item_type IS 'track, episode, audiobook, local_track, or empty when the item names nothing.';
COMMENT ON COLUMN curated.playlist_items.track_name IS 'Track, episode, audiobook or local file name.';
COMMENT ON COLUMN curated.playlist_items.artist_name IS 'Artist (tracks and local tracks).';
COMMENT ON COLUMN curated.playlist_items.album_name IS 'Album (tracks and local tracks).';
COMMENT ON COLUMN curated.playlist_items.uri IS 'Track, episode or audiobook URI (absent in 2020 exports).';
COMMENT ON COLUMN curated.playlist_items.added_date IS 'When the item was added (absent in 2020 exports).';
COMMENT ON COLUMN curated.playlist_items.file_id IS 'ingest.files row that loaded the item.';
COMMENT ON COLUMN curated.playlist_items.item_key IS 'Identity (playlist, position, item) so repeated exports count once.';

CREATE TABLE curated.search_queries (
    listener       text NOT NULL,
    searched_at    timestamptz NOT NULL,
    platform       text,
    query          text,
    interaction_uris text[],
    file_id        bigint NOT NULL REFERENCES ingest.files (file_id),
    item_key       uuid NOT NULL,
    PRIMARY KEY (listener, item_key)
);
COMMENT ON TABLE curated.search_queries IS 'Searches from SearchQueries.json.';
COMMENT ON COLUMN curated.search_queries.listener IS 'Who searched.';
COMMENT ON COLUMN curated.search_queries.searched_at IS 'searchTime, UTC (the [UTC] suffix stripped).';
COMMENT ON COLUMN curated.search_queries.platform IS 'Platform the search was made on.';
COMMENT ON COLUMN curated.search_queries.query IS 'The text searched for.';
COMMENT ON COLUMN curated.search_queries.interaction_uris IS 'URIs clicked from the results.';
COMMENT ON COLUMN curated.search_queries.file_id IS 'ingest.files row that loaded the search.';
COMMENT ON COLUMN curated.search_queries.item_key IS 'Identity (time, query) so repeated exports count once.';
