-- The fact and the monthly totals become tables partitioned by listener range, so that a full
-- build can fill one new partition per core side by side (one session each) and swap them all in
-- at once (marts/build.py). Readers and the incremental build still use the table names they
-- always had; the rows that exist stay, as the one partition of every listener. Partitioned
-- tables cannot be UNLOGGED: their partitions are (and are emptied by a crash as before).
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['hourly_plays', 'listener_months'] LOOP
        EXECUTE format('ALTER TABLE marts.%I RENAME TO %I', name, name || '_p0');
        EXECUTE format('CREATE TABLE marts.%I (LIKE marts.%I INCLUDING ALL) PARTITION BY RANGE (listener)',
                       name, name || '_p0');
        EXECUTE format('COMMENT ON TABLE marts.%I IS %L', name,
                       obj_description(format('marts.%I', name || '_p0')::regclass, 'pg_class'));
        EXECUTE format('ALTER TABLE marts.%I ATTACH PARTITION marts.%I FOR VALUES FROM (MINVALUE) TO (MAXVALUE)',
                       name, name || '_p0');
    END LOOP;
END
$$;

-- First streams of artists become a view (sql/models/marts/wrapped/artist_firsts.sql), like
-- those of tracks: keeping the table cost a sixth of a full build and a third of an incremental
-- one, and a listener's new artists read one listener's facts either way.
DROP TABLE marts.artist_firsts;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON marts.hourly_plays, marts.listener_months TO lake_reader;
    END IF;
END
$$;

-- The data checks take each rebuilt listener's zone from here (see checks/totals_match_curated).
TRUNCATE marts.last_build, marts.last_build_months;
ALTER TABLE marts.last_build ADD COLUMN timezone text NOT NULL;
COMMENT ON COLUMN marts.last_build.timezone IS 'Zone the listener was rebuilt in.';
