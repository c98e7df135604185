-- Rows per curated dataset and listener, as the curated Parquet zone must hold them (db check).
SELECT 'plays' AS dataset, listener, count(*) AS rows FROM curated.play_rows WHERE source <> 'feed' GROUP BY listener
UNION ALL
SELECT 'feed_plays', listener, count(*) FROM curated.play_rows WHERE source = 'feed' GROUP BY listener
UNION ALL
SELECT 'library_items', listener, count(*) FROM curated.library_items GROUP BY listener
UNION ALL
SELECT 'playlist_items', listener, count(*) FROM curated.playlist_items GROUP BY listener
UNION ALL
SELECT 'search_queries', listener, count(*) FROM curated.search_queries GROUP BY listener
