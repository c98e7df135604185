-- A listener-year's insights in one row: each figure as JSON, and what says whether the data can tell.
-- inputs: marts.daily_music_ms, marts.weekly_artist_shares, marts.obsessions, marts.daily_minutes_spread, marts.unusual_days, marts.weekly_minutes, marts.minutes_trend, marts.top_discoveries, marts.past_favourites, marts.forgotten_favourites, marts.catalog_streams, marts.release_year_streams, marts.genre_hours, marts.top_artist_months, marts.daily_calendar
-- keys: insights
-- Counted over the local dates of the calendar year (or all time: year null) whatever the window:
-- streams are the same under both windows' rules, and minutes are every play's. Phases are worked
-- out in Python (reports/insights.py) from the weekly artist streams; phases and top discoveries are
-- yearly (none for all time), and so are the year in music's extras (release years, genres by
-- hour, the top artists' months, the calendar). Minutes rounded half up to 2 decimals, as the Wrapped's.
SELECT
    EXISTS (SELECT FROM marts.daily_music_ms(%(listener)s, %(date_from)s, %(date_to)s)) AS has_music,
    (SELECT jsonb_agg(jsonb_build_array(w.week, w.artist_name, w.streams) ORDER BY w.week, w.artist_name COLLATE "C")
     FROM marts.weekly_artist_shares(%(listener)s, %(date_from)s, %(date_to)s) w
     WHERE %(year)s::int IS NOT NULL) AS weekly_artists,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(o.artist_name, o.weeks, round(o.share::numeric, 4))
                              ORDER BY o.weeks[1], o.artist_name COLLATE "C"), '[]')
     FROM marts.obsessions(%(listener)s, %(date_from)s, %(date_to)s) o) AS obsessions,
    (SELECT s.usable FROM marts.daily_minutes_spread(%(listener)s, %(date_to)s) s) AS days_usable,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(u.local_date, round(u.ms / 60000.0, 2), u.top_artist)
                              ORDER BY u.local_date), '[]')
     FROM marts.unusual_days(%(listener)s, %(date_from)s, %(date_to)s) u) AS unusual_days,
    (SELECT jsonb_agg(jsonb_build_array(w.week_start, round(w.ms / 60000.0, 2)) ORDER BY w.week_start)
     FROM marts.weekly_minutes(%(listener)s, %(date_to)s) w) AS weekly_minutes,
    (SELECT t.change_pct FROM marts.minutes_trend(%(listener)s, %(date_to)s) t) AS change_pct,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(d.track_name, d.artist_name, d.track_uri, d.streams) ORDER BY d.rank), '[]')
     FROM marts.top_discoveries(%(listener)s, %(date_from)s, %(date_to)s) d) AS top_discoveries,
    EXISTS (SELECT FROM marts.past_favourites(%(listener)s, %(date_to)s)) AS has_past,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(f.track_name, f.artist_name, f.track_uri, f.streams) ORDER BY f.rank), '[]')
     FROM marts.forgotten_favourites(%(listener)s, %(date_to)s) f) AS forgotten_favourites,
    (SELECT sum(c.streams) FILTER (WHERE c.in_catalog)::double precision / sum(c.streams)
     FROM marts.catalog_streams(%(listener)s, %(date_from)s, %(date_to)s) c
     WHERE %(year)s::int IS NOT NULL) AS catalog_coverage,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(r.release_year, r.streams) ORDER BY r.release_year), '[]')
     FROM marts.release_year_streams(%(listener)s, %(date_from)s, %(date_to)s) r
     WHERE %(year)s::int IS NOT NULL) AS release_years,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(g.rank, g.genre, g.local_hour, g.streams) ORDER BY g.rank, g.local_hour), '[]')
     FROM marts.genre_hours(%(listener)s, %(date_from)s, %(date_to)s) g
     WHERE %(year)s::int IS NOT NULL) AS genre_hours,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(a.rank, a.artist_name, a.month, a.streams) ORDER BY a.rank, a.month), '[]')
     FROM marts.top_artist_months(%(listener)s, %(date_from)s, %(date_to)s) a
     WHERE %(year)s::int IS NOT NULL) AS top_artist_months,
    (SELECT jsonb_agg(round(d.ms / 60000.0, 2) ORDER BY d.local_date)
     FROM marts.daily_calendar(%(listener)s, %(date_from)s, %(date_to)s) d
     WHERE %(year)s::int IS NOT NULL) AS daily_minutes
