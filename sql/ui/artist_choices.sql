-- The artists view's choices: the feed's 100 most streamed artists, the first its default.
-- From the streams per track the build keeps for the whole feed (marts.track_totals), less the
-- flagged accounts' own (their rows of marts.account_tracks), as the artist views leave them out:
-- the catalogue's rows, not every listener's days.
WITH flagged AS (
    SELECT a.track_uri, sum(a.streams) AS streams
    FROM marts.account_tracks a
    WHERE a.listener IN (SELECT listener FROM marts.flagged_listeners)
    GROUP BY a.track_uri
)
SELECT t.artist_name
FROM marts.track_totals t
LEFT JOIN flagged f USING (track_uri)
WHERE t.artist_name IS NOT NULL
GROUP BY t.artist_name
HAVING sum(t.streams - coalesce(f.streams, 0)) > 0
ORDER BY sum(t.streams - coalesce(f.streams, 0)) DESC, t.artist_name COLLATE "C"
LIMIT 100
