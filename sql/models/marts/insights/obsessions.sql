-- One listener's obsessions in a period: runs of weeks in which one artist takes at least 40% of the week's streams, after taking under 10% in the 8 weeks before.
-- inputs: marts.weekly_artist_shares
-- A run starts in a week of the period with at least 10 streams (a week of three says nothing)
-- where the artist takes 40% or more of them, having taken under 10% of the streams of the 8 weeks
-- before, which must hold a stream (a listener's first weeks have no before), and it lasts while
-- the following weeks keep the artist at 40% or more. share is the artist's share of the streams of
-- the run's weeks. Weeks are Monday weeks of local dates (marts.weekly_artist_shares); the 8 weeks
-- before may lie before date_from. Runs by first week, then artist.
CREATE FUNCTION marts.obsessions(listener text, date_from date, date_to date)
RETURNS TABLE (artist_name text, weeks date[], share double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
WITH shares AS (
    SELECT * FROM marts.weekly_artist_shares(listener, date_trunc('week', date_from::timestamp)::date - 56, date_to)
),
weeks AS (
    SELECT DISTINCT s.week, s.week_streams FROM shares s
),
held AS (
    -- consecutive weeks of one artist share a run: week minus 7 days per earlier held week
    SELECT s.artist_name, s.week, s.streams, s.week_streams,
           s.week - 7 * (row_number() OVER (PARTITION BY s.artist_name ORDER BY s.week))::int AS run
    FROM shares s
    WHERE s.share >= 0.4 AND s.week_streams >= 10 AND s.week >= date_trunc('week', date_from::timestamp)::date
),
runs AS (
    SELECT h.artist_name, min(h.week) AS first_week, array_agg(h.week ORDER BY h.week) AS weeks,
           sum(h.streams)::double precision / sum(h.week_streams) AS share
    FROM held h
    GROUP BY h.artist_name, h.run
)
SELECT r.artist_name, r.weeks, r.share
FROM runs r
CROSS JOIN LATERAL (
    SELECT coalesce(sum(w.week_streams), 0) AS streams
    FROM weeks w
    WHERE w.week >= r.first_week - 56 AND w.week < r.first_week
) everyone
CROSS JOIN LATERAL (
    SELECT coalesce(sum(s.streams), 0) AS streams
    FROM shares s
    WHERE s.artist_name = r.artist_name AND s.week >= r.first_week - 56 AND s.week < r.first_week
) artist
WHERE everyone.streams > 0 AND artist.streams < 0.1 * everyone.streams
ORDER BY r.first_week, r.artist_name COLLATE "C"
$$;
COMMENT ON FUNCTION marts.obsessions(text, date, date) IS 'One listener''s obsessions in a period: runs of weeks (of 10 streams or more) in which one artist takes 40% or more of the streams, after under 10% in the 8 weeks before.';
