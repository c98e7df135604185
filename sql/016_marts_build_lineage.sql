-- Every fact row names the build that wrote it. The data checks then read what the last build
-- wrote through a BRIN index on that number (a build's rows sit together at the end of each
-- partition) instead of walking the date index once per rebuilt listener: after one new feed day
-- of 20,000 users that walk was most of the checks' time. Rows already there count as build 0.
CREATE SEQUENCE marts.build_ids;
COMMENT ON SEQUENCE marts.build_ids IS 'Numbers of marts builds (marts.hourly_plays.build_id).';

ALTER TABLE marts.hourly_plays ADD COLUMN build_id bigint NOT NULL DEFAULT 0;
ALTER TABLE marts.hourly_plays ALTER COLUMN build_id DROP DEFAULT;
COMMENT ON COLUMN marts.hourly_plays.build_id IS 'The build that wrote this row (marts.build_ids; 0: before builds were numbered).';
CREATE INDEX hourly_plays_build_id_brin ON marts.hourly_plays USING brin (build_id)
    WITH (pages_per_range = 32, autosummarize = on);
-- The checks ask for "the rows of build N" with N read from last_build, a value the planner does not
-- know: it then guesses one row in n_distinct, and with the few builds ANALYZE sees that guess is
-- half the table (a scan of every fact row). Each build writes its own number: tell it there are
-- many. Set on each partition (the statistics are theirs); a full build sets it on its new ones.
-- The partitions' own copy of the column gets the comment too (it is not inherited).
DO $$
DECLARE
    part regclass;
BEGIN
    FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'marts.hourly_plays'::regclass LOOP
        EXECUTE format('ALTER TABLE %s ALTER COLUMN build_id SET (n_distinct = 1000)', part);
        EXECUTE format('COMMENT ON COLUMN %s.build_id IS %L', part, (
            SELECT col_description(attrelid, attnum) FROM pg_attribute
            WHERE attrelid = 'marts.hourly_plays'::regclass AND attname = 'build_id'));
        EXECUTE format('ANALYZE %s', part);
    END LOOP;
END
$$;

ALTER TABLE marts.last_build ADD COLUMN build_id bigint NOT NULL DEFAULT 0;
COMMENT ON COLUMN marts.last_build.build_id IS 'Number of the last build (the same on every row).';

