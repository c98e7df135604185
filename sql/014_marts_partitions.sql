-- The fact and the monthly totals become tables partitioned by listener range, so that a full
-- build can fill one new partition per core side by side (one session each) and swap them all in
-- at once (marts/build.py). Readers and the incremental build still use the table names they
-- always had; the rows that exist stay, as the one partition of every listener. Partitioned
-- tables cannot be UNLOGGED: their partitions are (and are emptied by a crash as before).
-- First streams of artists become a view, like those of tracks: keeping the table cost a sixth of
-- a full build and a third of an incremental one, and a listener's new artists read one
-- listener's facts either way.
DO $$
DECLARE
    name text;
    views text[];
    view_sql text;
BEGIN
    FOREACH name IN ARRAY ARRAY['hourly_plays', 'listener_months'] LOOP
        -- Views read the table by its identity: take their definitions now and bind them to the
        -- new parent afterwards (same text, same columns, so dependent views and grants stay).
        SELECT coalesce(array_agg(format('CREATE OR REPLACE VIEW %s AS %s', v.oid::regclass, pg_get_viewdef(v.oid))
                                  ORDER BY v.oid), '{}')
        INTO views
        FROM (SELECT DISTINCT c.oid
              FROM pg_depend d
              JOIN pg_rewrite r ON r.oid = d.objid
              JOIN pg_class c ON c.oid = r.ev_class
              WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = format('marts.%I', name)::regclass
                AND c.oid <> d.refobjid) v;
        EXECUTE format('ALTER TABLE marts.%I RENAME TO %I', name, name || '_p0');
        EXECUTE format('CREATE TABLE marts.%I (LIKE marts.%I INCLUDING ALL) PARTITION BY RANGE (listener)',
                       name, name || '_p0');
        EXECUTE format('COMMENT ON TABLE marts.%I IS %L', name,
                       obj_description(format('marts.%I', name || '_p0')::regclass, 'pg_class'));
        EXECUTE format('ALTER TABLE marts.%I ATTACH PARTITION marts.%I FOR VALUES FROM (MINVALUE) TO (MAXVALUE)',
                       name, name || '_p0');
        FOREACH view_sql IN ARRAY views LOOP
            EXECUTE view_sql;
        END LOOP;
    END LOOP;
END
$$;

DROP TABLE marts.artist_firsts;
CREATE VIEW marts.artist_firsts AS
SELECT listener, artist_name, min(local_date) AS first_stream_date
FROM marts.hourly_plays
WHERE media = 'music' AND counted_plays > 0 AND artist_name IS NOT NULL
GROUP BY listener, artist_name;
COMMENT ON VIEW marts.artist_firsts IS 'Each listener''s first stream of each artist over their whole history (new artists of a year).';
COMMENT ON COLUMN marts.artist_firsts.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.artist_firsts.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_firsts.first_stream_date IS 'Local date of the first stream (music play of 30 s or more) of this artist.';

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON marts.hourly_plays, marts.listener_months, marts.artist_firsts TO lake_reader;
    END IF;
END
$$;

-- The data checks take each rebuilt listener's zone from here (see checks/totals_match_curated).
TRUNCATE marts.last_build, marts.last_build_months;
ALTER TABLE marts.last_build ADD COLUMN timezone text NOT NULL;
COMMENT ON COLUMN marts.last_build.timezone IS 'Zone the listener was rebuilt in.';
