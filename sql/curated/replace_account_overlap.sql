-- Extended history arriving after account data: drop the account rows it covers (same rule as
-- mark_account_overlap.sql, seen from the other side) and mark their partitions for rewrite.
WITH gone AS (
    DELETE FROM curated.plays a
    USING stage_plays s
    WHERE a.listener = %(listener)s::text
      AND a.source = 'account'
      AND a.ended_at >= date_trunc('minute', s.ended_at) - interval '1 minute'
      AND a.ended_at <= date_trunc('minute', s.ended_at) + interval '1 minute'
      AND a.ms_played = s.ms_played
      AND coalesce(a.artist_name, a.show_name, a.audiobook_title)
          IS NOT DISTINCT FROM coalesce(s.artist_name, s.show_name, s.audiobook_title)
      AND coalesce(a.track_name, a.episode_name, a.chapter_title)
          IS NOT DISTINCT FROM coalesce(s.track_name, s.episode_name, s.chapter_title)
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
