WITH inserted AS (
    INSERT INTO curated.feed_tracks (track_id, track_name, artist_id, artist_name, album_name, genre,
        release_year, popularity, duration_ms, valence, energy, danceability, acousticness, tempo, file_id)
    SELECT DISTINCT ON (track_id) track_id, track_name, artist_id, artist_name, album_name, genre,
        release_year, popularity, duration_ms, valence, energy, danceability, acousticness, tempo,
        %(file_id)s::bigint
    FROM stage_feed_tracks
    ORDER BY track_id
    ON CONFLICT (track_id) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM inserted
