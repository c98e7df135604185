-- An incremental build reads the plays of the hours it rebuilds (a new feed day: every simulated
-- user, a few hours each) in one window of end times instead of one index walk per listener; its
-- totals check does the same. Plays arrive roughly in time order (feed days, export files in
-- their own order), so a BRIN index on ended_at narrows a day to its blocks; the same index, on
-- (file_id, ended_at), finds new files' plays by file id, as the one on file_id alone did. 32
-- pages a range: a day of 200,000 plays spans some 4,000 pages.
DROP INDEX curated.play_rows_file_id_brin;
CREATE INDEX play_rows_file_time_brin ON curated.play_rows USING brin (file_id, ended_at)
    WITH (pages_per_range = 32, autosummarize = on);

-- Blocks a BRIN index has not summarized yet match every search: autovacuum summarizes them soon
-- after a range fills (autosummarize), and a build summarizes the blocks it is about to read (new
-- plays) or that its checks will read (its fact rows, migration 016) when it can do so at once.
-- When VACUUM holds the table (say, autovacuum after a full build) it skips: VACUUM summarizes
-- them itself, and waiting would make the server cancel that VACUUM after deadlock_timeout.
-- Returns whether it summarized.
CREATE FUNCTION marts.summarize_new_blocks(index regclass) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    previous text := current_setting('lock_timeout');
BEGIN
    PERFORM set_config('lock_timeout', '50ms', true);
    PERFORM brin_summarize_new_values(index);
    PERFORM set_config('lock_timeout', previous, true);
    RETURN true;
EXCEPTION WHEN lock_not_available THEN
    RETURN false;  -- the setting is undone with the rest of this block
END
$$;
COMMENT ON FUNCTION marts.summarize_new_blocks(regclass) IS 'Summarize the new blocks of a BRIN index unless VACUUM holds its table (then false).';

-- The build now keeps each rebuilt listener's exact local dates (their zone is known).
COMMENT ON COLUMN marts.last_build.from_date IS 'Local date of from_hour in the listener''s zone (lets the hour range use the fact''s date index).';
COMMENT ON COLUMN marts.last_build.to_date IS 'Local date of the last instant before to_hour in the listener''s zone.';
