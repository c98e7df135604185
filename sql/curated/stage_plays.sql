-- Per-file staging for plays: same column types as curated.plays, gone at commit.
CREATE TEMP TABLE stage_plays ON COMMIT DROP AS
SELECT play_key, ended_at, ms_played, minute_precision, media, is_video,
       track_name, artist_name, album_name, track_uri,
       episode_name, show_name, episode_uri,
       audiobook_title, audiobook_uri, chapter_title, chapter_uri,
       reason_start, reason_end, shuffle, skipped, offline, incognito_mode,
       platform, conn_country, NULL::boolean AS overlap
FROM curated.play_rows
WITH NO DATA
