-- Extended history arriving after account data: drop the account rows that this file's plays
-- cover (same listener, end minute +/-1, ms played and names; the rule of mark_account_overlap.sql
-- seen from the other side) and mark their partitions for rewrite.
WITH gone AS (
    DELETE FROM curated.plays a
    USING curated.plays e
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
), dirty AS (
    INSERT INTO ingest.dirty_partitions (dataset, listener, year, month)
    SELECT DISTINCT 'plays', %(listener)s::text,
           extract(year FROM ended_at AT TIME ZONE 'UTC')::int,
           extract(month FROM ended_at AT TIME ZONE 'UTC')::int
    FROM gone
    ON CONFLICT (dataset, listener, year, month)
    DO UPDATE SET generation = nextval('ingest.dirty_generation')
)
SELECT count(*) FROM gone
