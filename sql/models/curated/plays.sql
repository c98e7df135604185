-- Every real play once: music, podcast, audiobook and unattributed, from every source. No IP, user agent or username.
-- inputs: curated.play_rows, ingest.files
-- Queries that do not read source_file never touch ingest.files (the planner removes the join,
-- file_id being its key).
CREATE VIEW curated.plays AS
SELECT p.play_key, p.listener, p.source, p.media, p.is_video, p.ended_at, p.started_at, p.ms_played,
       p.minute_precision, p.track_name, p.artist_name, p.album_name, p.track_uri,
       p.episode_name, p.show_name, p.episode_uri, p.audiobook_title, p.audiobook_uri,
       p.chapter_title, p.chapter_uri, p.reason_start, p.reason_end, p.shuffle, p.skipped,
       p.offline, p.incognito_mode, p.platform, p.conn_country,
       f.name AS source_file,
       CASE p.source WHEN 'extended' THEN 'Extended Streaming History' WHEN 'account' THEN 'Account Data'
                     WHEN 'feed' THEN 'Simulated feed' END AS package,
       p.file_id
FROM curated.play_rows p
LEFT JOIN ingest.files f ON f.file_id = p.file_id;

COMMENT ON VIEW curated.plays IS 'Every real play once: music, podcast, audiobook and unattributed, from every source. No IP, user agent or username.';
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT a.attname, col_description(a.attrelid, a.attnum) AS doc
        FROM pg_attribute a
        WHERE a.attrelid = 'curated.play_rows'::regclass AND a.attnum > 0 AND NOT a.attisdropped
    LOOP
        EXECUTE format('COMMENT ON COLUMN curated.plays.%I IS %L', r.attname, r.doc);
    END LOOP;
END
$$;
COMMENT ON COLUMN curated.plays.source_file IS 'File the row was first loaded from (ZIP entries as zip!/entry): ingest.files.name of file_id.';
COMMENT ON COLUMN curated.plays.package IS 'Package the row came from (derived from source): Extended Streaming History, Account Data or Simulated feed.';
