-- A track loaded again takes the newer file's values.
INSERT INTO curated.catalog_tracks SELECT * FROM stage_catalog
ON CONFLICT (track_uri) DO UPDATE SET
    track_name = excluded.track_name, artist_name = excluded.artist_name, album_name = excluded.album_name,
    genre = excluded.genre, release_year = excluded.release_year, popularity = excluded.popularity,
    valence = excluded.valence, energy = excluded.energy, danceability = excluded.danceability,
    acousticness = excluded.acousticness, tempo = excluded.tempo
