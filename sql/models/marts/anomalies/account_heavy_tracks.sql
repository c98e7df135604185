-- The tracks heavy for each simulated account (a build's fill): 2% or more of its plays with a track URI, for accounts with 50 or more.
-- inputs: marts.account_days, marts.account_tracks, build_targets, new_feed_plays
-- passes: whole, hours
-- Into {heavy_tracks} (marts.account_heavy_tracks, or a full build's new partition), from
-- {account_tracks} and the totals of {account_days} once they hold the build's plays. A listener
-- rebuilt whole is judged again on every track. For hour ranges (new feed plays only add plays,
-- so the total only grows and a track without new plays can only stop being heavy) the tracks
-- judged are those heavy before and those the new feed files played (new_feed_plays; every track of an account
-- that reaches 50 plays now): counts and totals brought up to date, the new heavy ones added,
-- the ones under 2% now dropped.
DELETE FROM {heavy_tracks} h
USING build_targets t
WHERE {whole} AND t.whole AND h.listener = t.listener;
WITH totals AS (
    SELECT d.listener, sum(d.tracked_plays) AS total
    FROM build_targets t
    JOIN {account_days} d ON d.listener = t.listener
    WHERE {whole} AND t.whole
    GROUP BY 1
    HAVING sum(d.tracked_plays) >= 50
)
INSERT INTO {heavy_tracks} (listener, track_uri, plays, total)
SELECT a.listener, a.track_uri, a.plays, s.total
FROM totals s
JOIN {account_tracks} a ON a.listener = s.listener
WHERE {whole} AND a.plays >= 0.02 * s.total;
WITH new AS MATERIALIZED (
    SELECT listener, track_uri, sum(plays) AS plays
    FROM new_feed_plays
    WHERE NOT {whole} AND track_uri IS NOT NULL
    GROUP BY 1, 2
),
totals AS MATERIALIZED (
    SELECT d.listener, sum(d.tracked_plays) AS total
    FROM build_targets t
    JOIN {account_days} d ON d.listener = t.listener
    WHERE NOT {whole} AND NOT t.whole
    GROUP BY 1
),
-- Accounts that reach 50 plays with a track URI with this build: every track of theirs is judged.
reached AS (
    SELECT s.listener
    FROM totals s
    JOIN (SELECT listener, sum(plays) AS added FROM new GROUP BY 1) n ON n.listener = s.listener
    WHERE s.total >= 50 AND s.total - n.added < 50
),
refreshed AS (
    UPDATE {heavy_tracks} h SET plays = a.plays, total = s.total
    FROM totals s, {account_tracks} a
    WHERE h.listener = s.listener AND a.listener = h.listener AND a.track_uri = h.track_uri
),
judged AS (
    SELECT listener, track_uri FROM new
    UNION
    SELECT a.listener, a.track_uri FROM reached r JOIN {account_tracks} a ON a.listener = r.listener
)
INSERT INTO {heavy_tracks} (listener, track_uri, plays, total)
SELECT a.listener, a.track_uri, a.plays, s.total
FROM judged j
JOIN totals s ON s.listener = j.listener
JOIN {account_tracks} a ON a.listener = j.listener AND a.track_uri = j.track_uri
-- Tracks not heavy before (those were refreshed above): the statement's snapshot is from before it.
WHERE NOT EXISTS (SELECT FROM {heavy_tracks} h WHERE h.listener = j.listener AND h.track_uri = j.track_uri)
  AND s.total >= 50 AND a.plays >= 0.02 * s.total;
DELETE FROM {heavy_tracks} h
USING build_targets t
WHERE NOT {whole} AND NOT t.whole AND h.listener = t.listener AND NOT (h.total >= 50 AND h.plays >= 0.02 * h.total)
