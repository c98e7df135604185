-- Per listener, the share of their music streams (all time, as built in the marts) whose track the
-- catalog knows: what the Wrapped's catalog_coverage counts, over every year.
SELECT h.listener,
       sum(h.counted_plays) FILTER (WHERE c.track_uri IS NOT NULL)::double precision
           / nullif(sum(h.counted_plays), 0) AS covered
FROM marts.hourly_plays h
LEFT JOIN curated.catalog_tracks c ON c.track_uri = h.item_key
WHERE h.listener = ANY (%(listeners)s) AND h.media = 'music'
GROUP BY h.listener
ORDER BY h.listener
