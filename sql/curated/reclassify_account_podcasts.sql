-- The old mixed StreamingHistoryN.json puts podcasts among music (show in artistName, episode
-- in trackName). Once any source names a show, account rows under that "artist" become podcasts.
-- Returns the rows changed per UTC month.
WITH shows AS (
    SELECT show_name AS name FROM curated.play_rows
    WHERE listener = %(listener)s::text AND show_name IS NOT NULL
    UNION
    SELECT name FROM curated.library_items
    WHERE listener = %(listener)s::text AND item_type = 'show' AND name IS NOT NULL
), moved AS (
    UPDATE curated.play_rows p
    SET media = 'podcast', show_name = p.artist_name, episode_name = p.track_name,
        artist_name = NULL, track_name = NULL
    FROM shows
    WHERE p.listener = %(listener)s::text
      AND p.source = 'account'
      AND p.media = 'music'
      AND p.artist_name = shows.name
    RETURNING p.ended_at
)
SELECT extract(year FROM ended_at AT TIME ZONE 'UTC')::int AS year,
       extract(month FROM ended_at AT TIME ZONE 'UTC')::int AS month,
       count(*) AS rows
FROM moved
GROUP BY 1, 2
