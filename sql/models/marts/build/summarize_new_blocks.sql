-- Summarize the new blocks of a BRIN index unless VACUUM holds its table (then false).
-- inputs:
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
