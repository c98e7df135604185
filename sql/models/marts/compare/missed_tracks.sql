-- What a listener missed (ListenBrainz's top missed recordings): the tracks the other streamed in a period that this one never streamed, at most 2 per artist, up to 50, by the other's streams.
-- inputs: marts.listener_track_streams, marts.hourly_plays
-- Never streamed: no counted play of the track in the listener's whole history, not only the
-- period. Ranked by the other's streams in the period, then name and track in byte order; an
-- artist's third and later tracks are left out before the 50 are counted. track_uri is the track's
-- spotify:track URI, null for a track known by names only.
CREATE FUNCTION marts.missed_tracks(listener text, other text, date_from date, date_to date)
RETURNS TABLE (rank bigint, item_key text, track_uri text, track_name text, artist_name text, streams bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
WITH missed AS (
    SELECT o.*, row_number() OVER (PARTITION BY o.artist_name
                                   ORDER BY o.streams DESC, o.track_name COLLATE "C", o.item_key COLLATE "C") AS of_artist
    FROM marts.listener_track_streams(other, date_from, date_to) o
    WHERE NOT EXISTS (SELECT FROM marts.hourly_plays h
                      WHERE h.listener = missed_tracks.listener AND h.item_key = o.item_key AND h.counted_plays > 0)
)
SELECT row_number() OVER (ORDER BY m.streams DESC, m.track_name COLLATE "C", m.item_key COLLATE "C"), m.item_key,
       CASE WHEN m.item_key LIKE 'spotify:track:%' THEN m.item_key END, m.track_name, m.artist_name, m.streams
FROM missed m
WHERE m.of_artist <= 2
ORDER BY 1
LIMIT 50
$$;
COMMENT ON FUNCTION marts.missed_tracks(text, text, date, date) IS 'The tracks another listener streamed in a period that this one never streamed: at most 2 per artist, up to 50, by the other''s streams.';
