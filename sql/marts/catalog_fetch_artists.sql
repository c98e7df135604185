-- Artists of the fetched tracks that no run has asked Spotify about yet (a run stopped before its
-- artists leaves them to the next).
SELECT DISTINCT a.artist_id
FROM curated.spotify_api_tracks t, unnest(t.artist_ids) AS a (artist_id)
WHERE t.status = 'found' AND a.artist_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM curated.spotify_api_artists s WHERE s.artist_id = a.artist_id)
ORDER BY 1
