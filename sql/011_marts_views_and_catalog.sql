-- Yearly views over the marts for analysts (and the data checks), and a user-loaded track catalog.

CREATE VIEW marts.listener_years AS
SELECT listener, extract(year FROM month)::int AS year,
       sum(music_plays)::bigint AS music_plays, sum(streams)::bigint AS streams,
       round(sum(music_ms) / 60000.0, 2) AS music_minutes, round(sum(podcast_ms) / 60000.0, 2) AS podcast_minutes,
       sum(music_ms)::bigint AS music_ms, sum(podcast_ms)::bigint AS podcast_ms
FROM marts.listener_months
GROUP BY 1, 2;
COMMENT ON VIEW marts.listener_years IS 'Totals per listener and local calendar year (private sessions left out).';
COMMENT ON COLUMN marts.listener_years.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.listener_years.year IS 'Calendar year in the listener''s zone.';
COMMENT ON COLUMN marts.listener_years.music_plays IS 'Music plays of any length.';
COMMENT ON COLUMN marts.listener_years.streams IS 'Music plays of 30 s or more.';
COMMENT ON COLUMN marts.listener_years.music_minutes IS 'Minutes of music, 2 decimals.';
COMMENT ON COLUMN marts.listener_years.podcast_minutes IS 'Minutes of podcasts, 2 decimals.';
COMMENT ON COLUMN marts.listener_years.music_ms IS 'Milliseconds of music.';
COMMENT ON COLUMN marts.listener_years.podcast_ms IS 'Milliseconds of podcasts.';

CREATE VIEW marts.minutes_percentiles AS
SELECT listener, year, music_minutes,
       count(*) OVER (PARTITION BY year) AS listeners,
       CASE WHEN count(*) OVER (PARTITION BY year) > 1
            THEN round((100 * percent_rank() OVER (PARTITION BY year ORDER BY music_ms))::numeric, 2) END AS percentile
FROM marts.listener_years;
COMMENT ON VIEW marts.minutes_percentiles IS 'Per listener and year, the share of the year''s other listeners with fewer music minutes ("you listened more than 83% of listeners").';
COMMENT ON COLUMN marts.minutes_percentiles.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.minutes_percentiles.year IS 'Calendar year in the listener''s zone.';
COMMENT ON COLUMN marts.minutes_percentiles.music_minutes IS 'Minutes of music that year.';
COMMENT ON COLUMN marts.minutes_percentiles.listeners IS 'Listeners with plays that year (exports and simulated users).';
COMMENT ON COLUMN marts.minutes_percentiles.percentile IS 'Percent (0-100, 2 decimals) of the other listeners of the year with fewer music minutes; null for a lone listener.';

CREATE VIEW marts.top_artists AS
SELECT listener, year, rank, artist_name, minutes, streams
FROM (
    SELECT listener, extract(year FROM local_date)::int AS year, artist_name,
           round(sum(ms_played) / 60000.0, 2) AS minutes, sum(counted_plays)::bigint AS streams,
           row_number() OVER (PARTITION BY listener, extract(year FROM local_date)::int
                              ORDER BY sum(ms_played) DESC, artist_name COLLATE "C") AS rank
    FROM marts.hourly_plays
    WHERE media = 'music' AND artist_name IS NOT NULL
    GROUP BY listener, extract(year FROM local_date)::int, artist_name
    HAVING sum(ms_played) > 0
) ranked
WHERE rank <= 5;
COMMENT ON VIEW marts.top_artists IS 'Each listener''s top 5 artists per local calendar year, by music minutes, then name.';
COMMENT ON COLUMN marts.top_artists.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.top_artists.year IS 'Calendar year in the listener''s zone.';
COMMENT ON COLUMN marts.top_artists.rank IS '1 to 5.';
COMMENT ON COLUMN marts.top_artists.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.top_artists.minutes IS 'Minutes of the artist''s music that year, every play.';
COMMENT ON COLUMN marts.top_artists.streams IS 'Plays of 30 s or more.';

CREATE VIEW marts.top_tracks AS
SELECT listener, year, rank, item_key, track_name, artist_name, streams, minutes, first_played
FROM (
    SELECT listener, extract(year FROM local_date)::int AS year, item_key,
           min(track_name) AS track_name, min(artist_name) AS artist_name,
           sum(counted_plays)::bigint AS streams, round(sum(ms_played) / 60000.0, 2) AS minutes,
           min(local_date) AS first_played,
           row_number() OVER (PARTITION BY listener, extract(year FROM local_date)::int
                              ORDER BY sum(counted_plays) DESC, sum(ms_played) DESC, min(track_name) COLLATE "C",
                                       item_key COLLATE "C") AS rank
    FROM marts.hourly_plays
    WHERE media = 'music'
    GROUP BY listener, extract(year FROM local_date)::int, item_key
    HAVING sum(counted_plays) > 0
) ranked
WHERE rank <= 5;
COMMENT ON VIEW marts.top_tracks IS 'Each listener''s top 5 streamed tracks per local calendar year, by streams, then minutes, then name.';
COMMENT ON COLUMN marts.top_tracks.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.top_tracks.year IS 'Calendar year in the listener''s zone.';
COMMENT ON COLUMN marts.top_tracks.rank IS '1 to 5.';
COMMENT ON COLUMN marts.top_tracks.item_key IS 'Track identity (URI, or names when nothing gives one).';
COMMENT ON COLUMN marts.top_tracks.track_name IS 'Track name.';
COMMENT ON COLUMN marts.top_tracks.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.top_tracks.streams IS 'Plays of 30 s or more.';
COMMENT ON COLUMN marts.top_tracks.minutes IS 'Minutes, every play.';
COMMENT ON COLUMN marts.top_tracks.first_played IS 'Local date of the first play (any length) that year.';

CREATE VIEW marts.track_firsts AS
SELECT listener, item_key, min(track_name) AS track_name, min(artist_name) AS artist_name,
       min(local_date) AS first_stream_date
FROM marts.hourly_plays
WHERE media = 'music' AND counted_plays > 0
GROUP BY listener, item_key;
COMMENT ON VIEW marts.track_firsts IS 'Each listener''s first stream of each track over their whole history (a view: a table of it cost a third of the build and no Wrapped figure needs it).';
COMMENT ON COLUMN marts.track_firsts.listener IS 'Listener (curated.plays.listener).';
COMMENT ON COLUMN marts.track_firsts.item_key IS 'Track identity (marts.hourly_plays.item_key).';
COMMENT ON COLUMN marts.track_firsts.track_name IS 'Track name.';
COMMENT ON COLUMN marts.track_firsts.artist_name IS 'Artist name.';
COMMENT ON COLUMN marts.track_firsts.first_stream_date IS 'Local date of the first stream (music play of 30 s or more) of this track.';

CREATE TABLE curated.catalog_tracks (
    track_uri     text PRIMARY KEY,
    track_name    text,
    artist_name   text,
    album_name    text,
    genre         text,
    release_year  integer,
    popularity    integer,
    valence       double precision,
    energy        double precision,
    danceability  double precision,
    acousticness  double precision,
    tempo         double precision
);
COMMENT ON TABLE curated.catalog_tracks IS 'A user-loaded track catalog (wrapped-lake catalog load, Spotify Tracks Dataset layout) that gives real exports genres, release years, popularity and audio features by track URI.';
COMMENT ON COLUMN curated.catalog_tracks.track_uri IS 'spotify:track:<track_id>.';
COMMENT ON COLUMN curated.catalog_tracks.track_name IS 'Track name.';
COMMENT ON COLUMN curated.catalog_tracks.artist_name IS 'First listed artist.';
COMMENT ON COLUMN curated.catalog_tracks.album_name IS 'Album name.';
COMMENT ON COLUMN curated.catalog_tracks.genre IS 'track_genre (the first one listed for the track).';
COMMENT ON COLUMN curated.catalog_tracks.release_year IS 'Release year, when the CSV has a release date or year column.';
COMMENT ON COLUMN curated.catalog_tracks.popularity IS 'Popularity 0-100.';
COMMENT ON COLUMN curated.catalog_tracks.valence IS 'Audio feature valence 0-1.';
COMMENT ON COLUMN curated.catalog_tracks.energy IS 'Audio feature energy 0-1.';
COMMENT ON COLUMN curated.catalog_tracks.danceability IS 'Audio feature danceability 0-1.';
COMMENT ON COLUMN curated.catalog_tracks.acousticness IS 'Audio feature acousticness 0-1.';
COMMENT ON COLUMN curated.catalog_tracks.tempo IS 'Tempo in BPM.';

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lake_reader') THEN
        GRANT SELECT ON ALL TABLES IN SCHEMA marts TO lake_reader;
        GRANT SELECT ON curated.catalog_tracks TO lake_reader;
    END IF;
END
$$;
