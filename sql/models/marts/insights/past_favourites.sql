-- One listener's 200 most streamed tracks before the last 12 months, with their last stream: the candidates of forgotten favourites.
-- inputs: marts.hourly_plays, marts.insight_end
-- The last 12 months end at marts.insight_end: streams on or before that day minus 12 months count
-- as past; last_streamed is the track's last stream on or before marts.insight_end. Ranked by past
-- streams, then name and track in byte order. No row when the listener's streams do not reach back
-- beyond the last 12 months.
CREATE FUNCTION marts.past_favourites(listener text, date_to date)
RETURNS TABLE (rank bigint, item_key text, track_uri text, track_name text, artist_name text, streams bigint,
               last_streamed date, end_date date)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
WITH e AS (
    SELECT marts.insight_end(listener, date_to) AS end_date
),
past AS (
    SELECT h.item_key, min(h.track_name) AS track_name, min(h.artist_name) AS artist_name,
           sum(h.counted_plays)::bigint AS streams
    FROM e
    JOIN marts.hourly_plays h ON h.listener = past_favourites.listener
                             AND h.local_date <= (e.end_date - interval '12 months')::date
    WHERE h.media = 'music' AND h.counted_plays > 0
    GROUP BY h.item_key
    ORDER BY streams DESC, min(h.track_name) COLLATE "C", h.item_key COLLATE "C"
    LIMIT 200
)
SELECT row_number() OVER (ORDER BY p.streams DESC, p.track_name COLLATE "C", p.item_key COLLATE "C"), p.item_key,
       CASE WHEN p.item_key LIKE 'spotify:track:%' THEN p.item_key END, p.track_name, p.artist_name, p.streams,
       latest.streamed, e.end_date
FROM e
CROSS JOIN past p
CROSS JOIN LATERAL (
    SELECT max(h.local_date) AS streamed
    FROM marts.hourly_plays h
    WHERE h.listener = past_favourites.listener AND h.item_key = p.item_key AND h.local_date <= e.end_date
      AND h.media = 'music' AND h.counted_plays > 0
) latest
ORDER BY 1
$$;
COMMENT ON FUNCTION marts.past_favourites(text, date) IS 'One listener''s 200 most streamed tracks before the last 12 months (ending at marts.insight_end), with their last stream.';
