-- An incremental build reads the plays of the hours it rebuilds (a new feed day: every simulated
-- user, a few hours each) in one window of end times instead of one index walk per listener; its
-- totals check does the same. Plays arrive roughly in time order (feed days, export files in
-- their own order), so a BRIN index on ended_at narrows a day to its blocks; the same index, on
-- (file_id, ended_at), finds new files' plays by file id, as the one on file_id alone did. 32
-- pages a range: a day of 200,000 plays spans some 4,000 pages.
DROP INDEX curated.play_rows_file_id_brin;
CREATE INDEX play_rows_file_time_brin ON curated.play_rows USING brin (file_id, ended_at)
    WITH (pages_per_range = 32, autosummarize = on);

-- The build now keeps each rebuilt listener's exact local dates (their zone is known).
COMMENT ON COLUMN marts.last_build.from_date IS 'Local date of from_hour in the listener''s zone (lets the hour range use the fact''s date index).';
COMMENT ON COLUMN marts.last_build.to_date IS 'Local date of the last instant before to_hour in the listener''s zone.';
