-- Extended history arriving after account data: drop the account rows that this file's plays
-- cover (same listener, end minute +/-1, ms played and names; the rule of mark_account_overlap.sql
-- seen from the other side); returns the rows removed per UTC month.
WITH gone AS (
    DELETE FROM curated.play_rows a
    USING curated.play_rows e
    WHERE e.listener = %(listener)s::text
      AND e.ended_at BETWEEN %(first)s AND %(last)s
      AND e.file_id = %(file_id)s::bigint
      AND a.listener = %(listener)s::text
      AND a.source = 'account'
      AND a.ended_at >= date_trunc('minute', e.ended_at) - interval '1 minute'
      AND a.ended_at <= date_trunc('minute', e.ended_at) + interval '1 minute'
      AND a.ms_played = e.ms_played
      AND coalesce(a.artist_name, a.show_name, a.audiobook_title)
          IS NOT DISTINCT FROM coalesce(e.artist_name, e.show_name, e.audiobook_title)
      AND coalesce(a.track_name, a.episode_name, a.chapter_title)
          IS NOT DISTINCT FROM coalesce(e.track_name, e.episode_name, e.chapter_title)
    RETURNING a.ended_at
)
SELECT extract(year FROM ended_at AT TIME ZONE 'UTC')::int AS year,
       extract(month FROM ended_at AT TIME ZONE 'UTC')::int AS month,
       count(*) AS rows
FROM gone
GROUP BY 1, 2
