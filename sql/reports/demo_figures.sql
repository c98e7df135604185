-- Headline figures per listener and year for the demo: plays, minutes by media, distinct tracks.
SELECT listener,
       extract(year FROM ended_at AT TIME ZONE %(tz)s)::int AS year,
       count(*) AS plays,
       round(sum(ms_played) FILTER (WHERE media = 'music') / 60000.0, 2) AS music_minutes,
       round(sum(ms_played) FILTER (WHERE media = 'podcast') / 60000.0, 2) AS podcast_minutes,
       count(DISTINCT coalesce(track_uri, artist_name || ' - ' || track_name)) FILTER (WHERE media = 'music') AS tracks
FROM curated.plays
WHERE listener = %(listener)s
GROUP BY 1, 2
ORDER BY 1, 2
