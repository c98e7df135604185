-- The artist views (marts.artist_top_songs, artist_suspicious_share) read a track's streams and
-- listeners over every account from marts.track_totals, which the build keeps (sql/models/marts/
-- artists/track_totals.sql), less the flagged accounts' own rows of marts.account_tracks, read
-- through its key. account_tracks loses its index by artist: every new day added a key to it for
-- each new account and track (9 in 10 of a day's 200,000 at 10 million plays), 2 of the 5 s the
-- day's counts took.
DROP INDEX IF EXISTS marts.account_tracks_artist;

-- Fill factor 70: every new day adds to most tracks' streams, in place (HOT).
CREATE UNLOGGED TABLE marts.track_totals (
    track_uri   text    PRIMARY KEY,
    artist_name text,
    track_name  text,
    streams     bigint  NOT NULL,
    listeners   integer NOT NULL
) WITH (fillfactor = 70);
CREATE INDEX track_totals_artist ON marts.track_totals (artist_name);
COMMENT ON TABLE marts.track_totals IS 'Streams and listeners per track of the whole simulated feed, every account counted (the artist views leave flagged ones out); filled by the marts build.';
COMMENT ON COLUMN marts.track_totals.track_uri IS 'Track URI (spotify:track:...).';
COMMENT ON COLUMN marts.track_totals.artist_name IS 'Artist name (the least one if plays differ).';
COMMENT ON COLUMN marts.track_totals.track_name IS 'Track name (the least one if plays differ).';
COMMENT ON COLUMN marts.track_totals.streams IS 'Plays of 30 s or more, by every account.';
COMMENT ON COLUMN marts.track_totals.listeners IS 'Accounts with a play of the track.';

-- As migration 026: the marts look emptied by a crash, so the next build (or the first read)
-- rebuilds every mart, this table with them, from the same fills.
DELETE FROM marts.build_stamp_unlogged;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON marts.track_totals TO lake_reader;
    END IF;
END
$$;
