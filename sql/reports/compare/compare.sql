-- Two listeners compared over a period of each one's local dates, in one row: the score, the shared top artists and what each missed, as JSON.
-- inputs: marts.compatibility, marts.shared_top_artists, marts.missed_tracks
SELECT
    (SELECT c.score FROM marts.compatibility(%(a)s, %(b)s, %(date_from)s, %(date_to)s) c) AS score,
    (SELECT coalesce(jsonb_agg(s.artist_name ORDER BY s.rank), '[]')
     FROM marts.shared_top_artists(%(a)s, %(b)s, %(date_from)s, %(date_to)s) s) AS shared_artists,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(m.track_name, m.artist_name, m.track_uri, m.streams) ORDER BY m.rank), '[]')
     FROM marts.missed_tracks(%(a)s, %(b)s, %(date_from)s, %(date_to)s) m) AS missed_by_a,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(m.track_name, m.artist_name, m.track_uri, m.streams) ORDER BY m.rank), '[]')
     FROM marts.missed_tracks(%(b)s, %(a)s, %(date_from)s, %(date_to)s) m) AS missed_by_b
