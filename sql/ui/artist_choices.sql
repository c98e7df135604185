-- The artists view's choices: the feed's 100 most streamed artists, the first its default.
-- From the streams per week and track the build keeps for the whole feed (marts.weekly_track_streams),
-- less the flagged accounts' own (marts.account_tracks), as the artist views leave them out: a
-- few thousand rows, not every listener's days.
WITH totals AS (
    SELECT artist_name, sum(streams) AS streams
    FROM marts.weekly_track_streams
    WHERE artist_name IS NOT NULL
    GROUP BY artist_name
),
flagged AS (
    SELECT artist_name, sum(streams) AS streams
    FROM marts.account_tracks
    WHERE listener IN (SELECT listener FROM marts.flagged_listeners)
    GROUP BY artist_name
)
SELECT t.artist_name
FROM totals t
LEFT JOIN flagged f USING (artist_name)
WHERE t.streams - coalesce(f.streams, 0) > 0
ORDER BY t.streams - coalesce(f.streams, 0) DESC, t.artist_name COLLATE "C"
LIMIT 100
