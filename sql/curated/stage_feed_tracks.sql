CREATE TEMP TABLE stage_feed_tracks ON COMMIT DROP AS
SELECT track_id, track_name, artist_id, artist_name, album_name, genre, release_year, popularity,
       duration_ms, valence, energy, danceability, acousticness, tempo
FROM curated.feed_tracks WITH NO DATA
