-- Music streams and milliseconds per listener, local date and artist (a build's fill), the weekly mix's base.
-- inputs: marts.hourly_plays, build_targets
-- Into {day_artists} (marts.listener_day_artists, or a full build's new partition), from {facts}
-- once it holds the build's rows, date by date as marts.listener_days: every local date of a
-- target's range is summed again from all its fact rows. Plays without an artist name count for no
-- artist (as in the Wrapped's top artists).
DELETE FROM {day_artists} d
USING build_targets t
WHERE d.listener = t.listener AND d.local_date BETWEEN t.from_date AND t.to_date;
INSERT INTO {day_artists} (listener, local_date, artist_name, streams, ms_played)
SELECT h.listener, h.local_date, h.artist_name, sum(h.counted_plays), sum(h.ms_played)
FROM build_targets t
JOIN {facts} h ON h.listener = t.listener AND h.local_date BETWEEN t.from_date AND t.to_date
WHERE h.media = 'music' AND h.artist_name IS NOT NULL
GROUP BY 1, 2, 3
ORDER BY 1, 2
