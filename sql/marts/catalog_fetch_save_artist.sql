-- One artist as Spotify answered it (found, or not_found for a null or a 404).
INSERT INTO curated.spotify_api_artists (artist_id, status, artist_name, genres)
VALUES (%(artist_id)s, %(status)s, %(artist_name)s, %(genres)s)
ON CONFLICT (artist_id) DO UPDATE SET
    status = excluded.status, fetched_at = excluded.fetched_at, artist_name = excluded.artist_name,
    genres = excluded.genres
