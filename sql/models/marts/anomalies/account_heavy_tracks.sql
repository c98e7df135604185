-- The tracks heavy for each simulated account (a build's fill): 2% or more of its plays with a track URI, for accounts with 50 or more.
-- inputs: marts.account_days, marts.account_tracks, build_targets, new_feed_plays, touched_tracks
-- also writes: account_totals
-- passes: whole, hours
-- Into {heavy_tracks} (marts.account_heavy_tracks, or a full build's new partition), from
-- {account_tracks} and the totals of {account_days} once they hold the build's plays. A listener
-- rebuilt whole is judged again on every track. For hour ranges (new feed plays only add plays,
-- so the total only grows and a track without new plays can only stop being heavy) the tracks
-- judged are those heavy before and those the new feed files played (touched_tracks; every track of
-- an account that reaches 50 plays now): counts and totals brought up to date, the new heavy ones
-- added, the ones under 2% now dropped.
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
-- Hour ranges: each account's total once its days hold the build's plays; the tracks it played
-- now come with the counts they reached (touched_tracks, from the counts' merge), so only the
-- ones at 2% or more are looked at, and no count is looked up again.
CREATE TEMPORARY TABLE account_totals ON COMMIT DROP AS
SELECT d.listener, sum(d.tracked_plays) AS total
FROM build_targets t
JOIN {account_days} d ON d.listener = t.listener
WHERE NOT {whole} AND NOT t.whole
GROUP BY 1;
ANALYZE account_totals;
UPDATE {heavy_tracks} h SET plays = k.plays
FROM touched_tracks k
WHERE NOT {whole} AND h.listener = k.listener AND h.track_uri = k.track_uri AND h.plays <> k.plays;
UPDATE {heavy_tracks} h SET total = s.total
FROM account_totals s
WHERE h.listener = s.listener AND h.total <> s.total;
-- Accounts that reach 50 plays with a track URI with this build (few): every track of theirs is
-- judged, read through the key.
WITH reached AS (
    SELECT s.listener, s.total
    FROM account_totals s
    JOIN (SELECT listener, sum(plays) AS added FROM new_feed_plays WHERE track_uri IS NOT NULL GROUP BY 1) n
        ON n.listener = s.listener
    WHERE s.total >= 50 AND s.total - n.added < 50
),
judged AS (
    SELECT k.listener, k.track_uri, k.plays, s.total
    FROM touched_tracks k
    JOIN account_totals s ON s.listener = k.listener
    WHERE s.total >= 50 AND k.plays >= 0.02 * s.total
    UNION
    SELECT a.listener, a.track_uri, a.plays, r.total
    FROM reached r
    JOIN {account_tracks} a ON a.listener = r.listener
    WHERE a.plays >= 0.02 * r.total
)
INSERT INTO {heavy_tracks} (listener, track_uri, plays, total)
SELECT j.listener, j.track_uri, j.plays, j.total
FROM judged j
WHERE NOT {whole}
  -- Tracks not heavy before (those were brought up to date above).
  AND NOT EXISTS (SELECT FROM {heavy_tracks} h WHERE h.listener = j.listener AND h.track_uri = j.track_uri);
DELETE FROM {heavy_tracks} h
USING account_totals t
WHERE h.listener = t.listener AND NOT (h.total >= 50 AND h.plays >= 0.02 * h.total);
DROP TABLE account_totals
