-- The listener insights read two tables the marts build fills (sql/models/marts/insights/
-- listener_days.sql and listener_day_artists.sql) instead of summing the hourly fact on every
-- report: per listener and local date, and per listener, local date and artist. Partitioned by
-- listener range like the fact, so that a full build fills one new partition per share and swaps
-- them in with the fact's; UNLOGGED partitions, rebuilt from the fact. The rows a lake built
-- before this migration already has are summed here once from the fact (the same sums the fills
-- write), so no rebuild is needed.
CREATE TABLE marts.listener_days (
    listener       text    NOT NULL,
    local_date     date    NOT NULL,
    music_plays    integer NOT NULL,
    streams        integer NOT NULL,
    music_ms       bigint  NOT NULL,
    podcast_plays  integer NOT NULL,
    podcast_ms     bigint  NOT NULL,
    PRIMARY KEY (listener, local_date)
) PARTITION BY RANGE (listener);
COMMENT ON TABLE marts.listener_days IS 'Plays, streams and milliseconds per listener and local date with any music or podcast play (sums of marts.hourly_plays): daily minutes, unusual days, the trend and the calendar read it.';
COMMENT ON COLUMN marts.listener_days.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.listener_days.local_date IS 'Date in the listener''s zone.';
COMMENT ON COLUMN marts.listener_days.music_plays IS 'Music plays of any length (0: a day of podcasts only).';
COMMENT ON COLUMN marts.listener_days.streams IS 'Music plays of 30 s or more.';
COMMENT ON COLUMN marts.listener_days.music_ms IS 'Milliseconds of music, every play (a day''s figure caps it with marts.day_ms).';
COMMENT ON COLUMN marts.listener_days.podcast_plays IS 'Podcast plays of any length.';
COMMENT ON COLUMN marts.listener_days.podcast_ms IS 'Milliseconds of podcasts.';

CREATE TABLE marts.listener_day_artists (
    listener     text    NOT NULL,
    local_date   date    NOT NULL,
    artist_name  text    NOT NULL,
    streams      integer NOT NULL,
    ms_played    bigint  NOT NULL
) PARTITION BY RANGE (listener);
CREATE INDEX listener_day_artists_listener_date ON marts.listener_day_artists (listener, local_date);
COMMENT ON TABLE marts.listener_day_artists IS 'Music streams and milliseconds per listener, local date and artist (sums of marts.hourly_plays; plays without an artist name left out): weekly artist shares, phases, obsessions, a day''s top artist and the top artists'' months read it.';
COMMENT ON COLUMN marts.listener_day_artists.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.listener_day_artists.local_date IS 'Date in the listener''s zone.';
COMMENT ON COLUMN marts.listener_day_artists.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.listener_day_artists.streams IS 'Music plays of 30 s or more.';
COMMENT ON COLUMN marts.listener_day_artists.ms_played IS 'Milliseconds of music, every play.';

CREATE UNLOGGED TABLE marts.listener_days_p0 PARTITION OF marts.listener_days FOR VALUES FROM (MINVALUE) TO (MAXVALUE);
CREATE UNLOGGED TABLE marts.listener_day_artists_p0 PARTITION OF marts.listener_day_artists
    FOR VALUES FROM (MINVALUE) TO (MAXVALUE);

INSERT INTO marts.listener_days (listener, local_date, music_plays, streams, music_ms, podcast_plays, podcast_ms)
SELECT listener, local_date,
       coalesce(sum(plays) FILTER (WHERE media = 'music'), 0), coalesce(sum(counted_plays) FILTER (WHERE media = 'music'), 0),
       coalesce(sum(ms_played) FILTER (WHERE media = 'music'), 0), coalesce(sum(plays) FILTER (WHERE media = 'podcast'), 0),
       coalesce(sum(ms_played) FILTER (WHERE media = 'podcast'), 0)
FROM marts.hourly_plays
GROUP BY 1, 2;
INSERT INTO marts.listener_day_artists (listener, local_date, artist_name, streams, ms_played)
SELECT listener, local_date, artist_name, sum(counted_plays), sum(ms_played)
FROM marts.hourly_plays
WHERE media = 'music' AND artist_name IS NOT NULL
GROUP BY 1, 2, 3;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON marts.listener_days, marts.listener_day_artists TO lake_reader;
    END IF;
END
$$;
