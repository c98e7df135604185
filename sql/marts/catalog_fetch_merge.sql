-- Every fetched track into the catalog `catalog load` fills: a new row for a track the catalog
-- lacks; for a track it has (a loaded CSV's row), only the values that row lacks, so a value the
-- user loaded always wins (and a CSV loaded later replaces the row; the next fetch fills its gaps
-- again from the cache, without asking Spotify). The genre is the first genre of the first of the
-- track's artists that has one; the release year is checked as `catalog load` checks it.
WITH fetched AS (
    SELECT t.track_uri, t.track_name, t.artist_names[1] AS artist_name, t.album_name,
           (SELECT a.genres[1]
            FROM unnest(t.artist_ids) WITH ORDINALITY AS x (artist_id, n)
            JOIN curated.spotify_api_artists a USING (artist_id)
            WHERE cardinality(a.genres) > 0
            ORDER BY x.n LIMIT 1) AS genre,
           CASE WHEN left(t.release_date, 4) ~ '^[0-9]{4}$'
                 AND left(t.release_date, 4)::integer BETWEEN 1900 AND extract(year FROM now())::integer + 1
                THEN left(t.release_date, 4)::integer END AS release_year,
           t.popularity
    FROM curated.spotify_api_tracks t
    WHERE t.status = 'found'
),
merged AS (
    INSERT INTO curated.catalog_tracks AS c (track_uri, track_name, artist_name, album_name, genre, release_year, popularity)
    SELECT track_uri, track_name, artist_name, album_name, genre, release_year, popularity FROM fetched
    ON CONFLICT (track_uri) DO UPDATE SET
        track_name = coalesce(c.track_name, excluded.track_name),
        artist_name = coalesce(c.artist_name, excluded.artist_name),
        album_name = coalesce(c.album_name, excluded.album_name),
        genre = coalesce(c.genre, excluded.genre),
        release_year = coalesce(c.release_year, excluded.release_year),
        popularity = coalesce(c.popularity, excluded.popularity)
    WHERE (c.track_name, c.artist_name, c.album_name, c.genre, c.release_year, c.popularity)
          IS DISTINCT FROM (coalesce(c.track_name, excluded.track_name), coalesce(c.artist_name, excluded.artist_name),
                            coalesce(c.album_name, excluded.album_name), coalesce(c.genre, excluded.genre),
                            coalesce(c.release_year, excluded.release_year), coalesce(c.popularity, excluded.popularity))
    RETURNING c.track_uri
)
SELECT count(*) FROM merged
