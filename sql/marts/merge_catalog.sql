-- A repeated track_id keeps its first row; a track loaded again takes the newer file's values.
WITH merged AS (
    INSERT INTO curated.catalog_tracks (
        track_uri, track_name, artist_name, album_name, genre, release_year, popularity,
        valence, energy, danceability, acousticness, tempo
    )
    SELECT DISTINCT ON (track_uri)
        track_uri, track_name, artist_name, album_name, genre, release_year, popularity,
        valence, energy, danceability, acousticness, tempo
    FROM stage_catalog
    ORDER BY track_uri, line
    ON CONFLICT (track_uri) DO UPDATE SET
        track_name = excluded.track_name, artist_name = excluded.artist_name, album_name = excluded.album_name,
        genre = excluded.genre, release_year = excluded.release_year, popularity = excluded.popularity,
        valence = excluded.valence, energy = excluded.energy, danceability = excluded.danceability,
        acousticness = excluded.acousticness, tempo = excluded.tempo
    RETURNING release_year
)
SELECT count(*) AS tracks, count(release_year) AS with_release_year FROM merged
