-- Population figures over the simulated feed (source = 'feed'): what a streaming service's own
-- analysts ask. Views over the marts fact (private sessions already left out) and the feed's
-- users and tracks; periods are UTC (a population spans zones).

CREATE VIEW marts.feed_plays AS
SELECT h.listener, u.continent, u.country, u.subscription_type, h.utc_hour, h.item_key, h.track_name,
       h.artist_name, t.genre, h.plays, h.counted_plays AS streams, h.ms_played
FROM marts.hourly_plays h
JOIN curated.feed_users u USING (listener)
LEFT JOIN curated.feed_tracks t ON h.item_key = 'spotify:track:' || t.track_id
WHERE h.media = 'music';
COMMENT ON VIEW marts.feed_plays IS 'The simulated feed''s music from the marts fact, with each user''s continent, country and tier and each track''s genre.';
COMMENT ON COLUMN marts.feed_plays.listener IS 'Simulated user.';
COMMENT ON COLUMN marts.feed_plays.continent IS 'User''s continent (AF, AS, EU, NA, OC, SA).';
COMMENT ON COLUMN marts.feed_plays.country IS 'User''s country.';
COMMENT ON COLUMN marts.feed_plays.subscription_type IS 'User''s tier.';
COMMENT ON COLUMN marts.feed_plays.utc_hour IS 'UTC hour of the plays'' end.';
COMMENT ON COLUMN marts.feed_plays.item_key IS 'Track URI.';
COMMENT ON COLUMN marts.feed_plays.track_name IS 'Track name.';
COMMENT ON COLUMN marts.feed_plays.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.feed_plays.genre IS 'Track genre (curated.feed_tracks).';
COMMENT ON COLUMN marts.feed_plays.plays IS 'Plays of any length.';
COMMENT ON COLUMN marts.feed_plays.streams IS 'Plays of 30 s or more.';
COMMENT ON COLUMN marts.feed_plays.ms_played IS 'Milliseconds played.';

CREATE VIEW marts.population_top_charts AS
WITH periods AS (
    SELECT f.*, p.period, p.period_start
    FROM marts.feed_plays f
    CROSS JOIN LATERAL (VALUES ('week', date_trunc('week', f.utc_hour AT TIME ZONE 'UTC')::date),
                               ('month', date_trunc('month', f.utc_hour AT TIME ZONE 'UTC')::date)) AS p (period, period_start)
),
counted AS (
    SELECT continent, period, period_start, 'song' AS chart, min(track_name) || ' - ' || min(artist_name) AS name,
           sum(streams) AS streams, count(DISTINCT listener) AS listeners
    FROM periods GROUP BY continent, period, period_start, item_key
    UNION ALL
    SELECT continent, period, period_start, 'artist', artist_name, sum(streams), count(DISTINCT listener)
    FROM periods GROUP BY continent, period, period_start, artist_name
    UNION ALL
    SELECT continent, period, period_start, 'genre', genre, sum(streams), count(DISTINCT listener)
    FROM periods WHERE genre IS NOT NULL GROUP BY continent, period, period_start, genre
)
SELECT continent, period, period_start, chart, rank, name, streams, listeners
FROM (
    SELECT c.*, row_number() OVER (PARTITION BY continent, period, period_start, chart
                                   ORDER BY streams DESC, name COLLATE "C") AS rank
    FROM counted c
    WHERE streams > 0
) ranked
WHERE rank <= 10;
COMMENT ON VIEW marts.population_top_charts IS 'Top 10 songs, artists and genres by streams per continent and UTC week or month of the simulated feed.';
COMMENT ON COLUMN marts.population_top_charts.continent IS 'Listeners'' continent.';
COMMENT ON COLUMN marts.population_top_charts.period IS 'week (ISO, from Monday) or month.';
COMMENT ON COLUMN marts.population_top_charts.period_start IS 'First UTC day of the week or month.';
COMMENT ON COLUMN marts.population_top_charts.chart IS 'song, artist or genre.';
COMMENT ON COLUMN marts.population_top_charts.rank IS '1 to 10, by streams then name.';
COMMENT ON COLUMN marts.population_top_charts.name IS 'Song ("track - artist"), artist or genre.';
COMMENT ON COLUMN marts.population_top_charts.streams IS 'Plays of 30 s or more.';
COMMENT ON COLUMN marts.population_top_charts.listeners IS 'Distinct listeners who played it.';

CREATE VIEW marts.artist_continents AS
SELECT artist_name, continent, sum(plays) AS plays, sum(streams) AS streams, count(DISTINCT listener) AS listeners
FROM marts.feed_plays
GROUP BY artist_name, continent;
COMMENT ON VIEW marts.artist_continents IS 'Per artist of the simulated feed: plays, streams and listeners by continent.';
COMMENT ON COLUMN marts.artist_continents.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_continents.continent IS 'Listeners'' continent.';
COMMENT ON COLUMN marts.artist_continents.plays IS 'Plays of any length.';
COMMENT ON COLUMN marts.artist_continents.streams IS 'Plays of 30 s or more.';
COMMENT ON COLUMN marts.artist_continents.listeners IS 'Distinct listeners.';

CREATE VIEW marts.artist_top_songs AS
SELECT artist_name, rank, track_name, streams, listeners
FROM (
    SELECT artist_name, min(track_name) AS track_name, sum(streams) AS streams, count(DISTINCT listener) AS listeners,
           row_number() OVER (PARTITION BY artist_name ORDER BY sum(streams) DESC, min(track_name) COLLATE "C") AS rank
    FROM marts.feed_plays
    GROUP BY artist_name, item_key
) ranked
WHERE rank <= 5;
COMMENT ON VIEW marts.artist_top_songs IS 'Per artist of the simulated feed: the 5 most streamed songs.';
COMMENT ON COLUMN marts.artist_top_songs.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.artist_top_songs.rank IS '1 to 5, by streams then name.';
COMMENT ON COLUMN marts.artist_top_songs.track_name IS 'Track name.';
COMMENT ON COLUMN marts.artist_top_songs.streams IS 'Plays of 30 s or more.';
COMMENT ON COLUMN marts.artist_top_songs.listeners IS 'Distinct listeners.';

CREATE VIEW marts.listeners_by_tier AS
SELECT u.subscription_type, count(*) AS users,
       count(*) FILTER (WHERE EXISTS (SELECT FROM marts.listeners l WHERE l.listener = u.listener)) AS listeners
FROM curated.feed_users u
GROUP BY u.subscription_type;
COMMENT ON VIEW marts.listeners_by_tier IS 'Simulated users per subscription tier, and how many of them listened.';
COMMENT ON COLUMN marts.listeners_by_tier.subscription_type IS 'FREE, PREMIUM, FAMILY or STUDENT.';
COMMENT ON COLUMN marts.listeners_by_tier.users IS 'Users of the tier.';
COMMENT ON COLUMN marts.listeners_by_tier.listeners IS 'Users of the tier with at least one counted play in the marts.';

CREATE VIEW marts.daily_sessions AS
WITH plays AS (
    SELECT p.listener, p.started_at, p.ended_at,
           p.started_at - lag(p.ended_at) OVER (PARTITION BY p.listener ORDER BY p.started_at, p.ended_at) AS gap
    FROM curated.play_rows p
    WHERE p.source = 'feed' AND p.incognito_mode IS NOT TRUE
)
SELECT (started_at AT TIME ZONE 'UTC')::date AS day, count(*) AS sessions, count(DISTINCT listener) AS listeners
FROM plays
WHERE gap IS NULL OR gap > interval '30 minutes'
GROUP BY 1;
COMMENT ON VIEW marts.daily_sessions IS 'Listening sessions of the simulated feed per UTC day; a session ends after 30 minutes without a play.';
COMMENT ON COLUMN marts.daily_sessions.day IS 'UTC day the session started.';
COMMENT ON COLUMN marts.daily_sessions.sessions IS 'Sessions started that day.';
COMMENT ON COLUMN marts.daily_sessions.listeners IS 'Listeners who started one.';

CREATE VIEW marts.active_users AS
SELECT 'day' AS period, (utc_hour AT TIME ZONE 'UTC')::date AS period_start, count(DISTINCT listener) AS active_users
FROM marts.feed_plays GROUP BY 2
UNION ALL
SELECT 'week', date_trunc('week', utc_hour AT TIME ZONE 'UTC')::date, count(DISTINCT listener)
FROM marts.feed_plays GROUP BY 2;
COMMENT ON VIEW marts.active_users IS 'Daily (DAU) and weekly (WAU) active users of the simulated feed: users with a music play in the UTC day or week.';
COMMENT ON COLUMN marts.active_users.period IS 'day or week.';
COMMENT ON COLUMN marts.active_users.period_start IS 'The UTC day, or the Monday of the week.';
COMMENT ON COLUMN marts.active_users.active_users IS 'Distinct users with a play.';

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON ALL TABLES IN SCHEMA marts TO lake_reader;
    END IF;
END
$$;
