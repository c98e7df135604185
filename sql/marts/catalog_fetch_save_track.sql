-- One track as Spotify answered it (found, or not_found for a null or a 404).
INSERT INTO curated.spotify_api_tracks (
    track_uri, status, track_name, album_name, artist_ids, artist_names, release_date, release_date_precision,
    popularity
) VALUES (
    %(track_uri)s, %(status)s, %(track_name)s, %(album_name)s, %(artist_ids)s, %(artist_names)s, %(release_date)s,
    %(release_date_precision)s, %(popularity)s
)
ON CONFLICT (track_uri) DO UPDATE SET
    status = excluded.status, fetched_at = excluded.fetched_at, track_name = excluded.track_name,
    album_name = excluded.album_name, artist_ids = excluded.artist_ids, artist_names = excluded.artist_names,
    release_date = excluded.release_date, release_date_precision = excluded.release_date_precision,
    popularity = excluded.popularity
