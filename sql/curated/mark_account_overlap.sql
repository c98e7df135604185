-- Account-data rows that extended history already has: same listener, end minute +/-1,
-- same ms_played and the same two names (artist/track, show/episode or book/chapter).
UPDATE stage_plays s
SET overlap = true
WHERE EXISTS (
    SELECT 1
    FROM curated.play_rows e
    WHERE e.listener = %(listener)s::text
      AND e.source = 'extended'
      AND e.ended_at >= s.ended_at - interval '1 minute'
      AND e.ended_at < s.ended_at + interval '2 minutes'
      AND e.ms_played = s.ms_played
      AND coalesce(e.artist_name, e.show_name, e.audiobook_title)
          IS NOT DISTINCT FROM coalesce(s.artist_name, s.show_name, s.audiobook_title)
      AND coalesce(e.track_name, e.episode_name, e.chapter_title)
          IS NOT DISTINCT FROM coalesce(s.track_name, s.episode_name, s.chapter_title)
)
