-- Data check: for the listeners the last build changed, the marts' plays and milliseconds per
-- local year equal curated.plays' own (music and podcasts, private sessions left out).
WITH curated AS (
    SELECT p.listener, extract(year FROM p.ended_at AT TIME ZONE l.timezone)::int AS year,
           count(*) AS plays, sum(p.ms_played) AS ms
    FROM curated.play_rows p
    JOIN marts.last_build b USING (listener)
    JOIN marts.listeners l USING (listener)
    WHERE p.incognito_mode IS NOT TRUE AND p.media IN ('music', 'podcast')
    GROUP BY 1, 2
),
marts AS (
    SELECT m.listener, extract(year FROM m.month)::int AS year,
           sum(m.music_plays + m.podcast_plays) AS plays, sum(m.music_ms + m.podcast_ms) AS ms
    FROM marts.listener_months m
    JOIN marts.last_build b USING (listener)
    GROUP BY 1, 2
)
SELECT NOT EXISTS (
    SELECT FROM curated c FULL JOIN marts m USING (listener, year)
    WHERE c.plays IS DISTINCT FROM m.plays OR c.ms IS DISTINCT FROM m.ms
) AS totals_match_curated
