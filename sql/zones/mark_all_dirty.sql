-- Every curated partition Postgres has rows for, queued for a rewrite: the curated Parquet zone
-- is rebuilt from Postgres when its folder layout changes (zones/parquet.py, LAYOUT_VERSION).
INSERT INTO ingest.dirty_partitions (dataset, listener, year, month, day)
SELECT DISTINCT 'plays', listener, extract(year FROM ended_at AT TIME ZONE 'UTC')::int,
       extract(month FROM ended_at AT TIME ZONE 'UTC')::int, 0
FROM curated.play_rows WHERE source <> 'feed'
UNION
SELECT DISTINCT 'feed_plays', '', extract(year FROM ended_at AT TIME ZONE 'UTC')::int,
       extract(month FROM ended_at AT TIME ZONE 'UTC')::int, extract(day FROM ended_at AT TIME ZONE 'UTC')::int
FROM curated.play_rows WHERE source = 'feed'
UNION
SELECT DISTINCT 'library_items', listener, 0, 0, 0 FROM curated.library_items
UNION
SELECT DISTINCT 'playlist_items', listener, 0, 0, 0 FROM curated.playlist_items
UNION
SELECT DISTINCT 'search_queries', listener, 0, 0, 0 FROM curated.search_queries
ON CONFLICT (dataset, listener, year, month, day)
DO UPDATE SET generation = nextval('ingest.dirty_generation')
