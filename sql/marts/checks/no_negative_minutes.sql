-- Data check: no fact or monthly total counts negative time or plays.
SELECT NOT EXISTS (
           SELECT FROM marts.hourly_plays
           WHERE ms_played < 0 OR ms_counted < 0 OR ms_counted > ms_played OR plays < counted_plays OR skips < 0
       ) AS facts_not_negative,
       NOT EXISTS (
           SELECT FROM marts.listener_months WHERE music_ms < 0 OR podcast_ms < 0 OR streams < 0
       ) AS months_not_negative
