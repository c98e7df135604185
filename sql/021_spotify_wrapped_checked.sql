-- Spotify's Wrapped file is checked against schemas/spotify_wrapped.schema.json at ingest: a field
-- that fails is stored as null and listed in rejected_fields. Rows loaded before this check may
-- hold anything (a day "2024-13-45", a play count "many"), and the view cast them straight, so one
-- such row failed every SELECT of marts.spotify_wrapped, everyone's. The view now reads each figure
-- through a function that gives null for what the schema would reject, instead of failing.
ALTER TABLE curated.spotify_wrapped ADD COLUMN rejected_fields jsonb;
COMMENT ON COLUMN curated.spotify_wrapped.rejected_fields IS 'Fields of the file that failed its schema and are null in document, e.g. [{"field": "yearlyMetrics.mostListenedDay", "reason": "..."}]; [] when none did; null for rows loaded before the check (migration 021).';

-- plpgsql, so that a string which only looks like a date (2024-02-30, 0000-01-01) gives null
-- where the cast raises. Parallel unsafe (the default): its exception block is a subtransaction,
-- which a parallel query cannot start.
CREATE FUNCTION marts.json_date_or_null(value jsonb) RETURNS date
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    IF jsonb_typeof(value) = 'string' AND value #>> '{}' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN
        RETURN left(value #>> '{}', 10)::date;
    END IF;
    RETURN NULL;
EXCEPTION WHEN data_exception THEN
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION marts.json_date_or_null(jsonb) IS 'The date a JSON string starts with (YYYY-MM-DD), or null for anything else.';

-- Nested CASEs: Postgres does not promise to test AND's operands in order, and a cast of a JSON
-- string to numeric raises.
CREATE FUNCTION marts.json_count_or_null(value jsonb) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
SELECT CASE WHEN jsonb_typeof(value) = 'number' THEN
           CASE WHEN value::numeric BETWEEN 0 AND 2147483647 AND value::numeric = trunc(value::numeric)
                THEN value::numeric::integer
           END
       END
$$;
COMMENT ON FUNCTION marts.json_count_or_null(jsonb) IS 'A JSON number that is a whole count from 0 to 2147483647, or null for anything else.';

CREATE FUNCTION marts.json_amount_or_null(value jsonb) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
SELECT CASE WHEN jsonb_typeof(value) = 'number' THEN
           CASE WHEN value::numeric >= 0 THEN value::numeric END
       END
$$;
COMMENT ON FUNCTION marts.json_amount_or_null(jsonb) IS 'A JSON number of 0 or more, or null for anything else.';

CREATE OR REPLACE VIEW marts.spotify_wrapped AS
SELECT listener, year,
       marts.json_date_or_null(document #> '{yearlyMetrics,mostListenedDay}') AS most_listened_day,
       marts.json_amount_or_null(document #> '{yearlyMetrics,mostListenedDayMinutes}') AS most_listened_day_minutes,
       marts.json_count_or_null(document #> '{topTracks,topTrackPlayCount}') AS top_track_play_count,
       marts.json_date_or_null(document #> '{topTracks,topTrackFirstPlayedDate}') AS top_track_first_played,
       round(marts.json_amount_or_null(document #> '{topPodcasts,topPodcastMilliseconds}') / 60000, 2)
           AS top_podcast_minutes,
       rejected_fields
FROM curated.spotify_wrapped;
COMMENT ON COLUMN marts.spotify_wrapped.most_listened_day IS 'yearlyMetrics.mostListenedDay; null when missing or not a date.';
COMMENT ON COLUMN marts.spotify_wrapped.most_listened_day_minutes IS 'yearlyMetrics.mostListenedDayMinutes; null when missing or not a number of 0 or more.';
COMMENT ON COLUMN marts.spotify_wrapped.top_track_play_count IS 'topTracks.topTrackPlayCount; null when missing or not a whole count.';
COMMENT ON COLUMN marts.spotify_wrapped.top_track_first_played IS 'topTracks.topTrackFirstPlayedDate; null when missing or not a date.';
COMMENT ON COLUMN marts.spotify_wrapped.top_podcast_minutes IS 'topPodcasts.topPodcastMilliseconds in minutes, 2 decimals; null when missing or not a number of 0 or more.';
COMMENT ON COLUMN marts.spotify_wrapped.rejected_fields IS 'Fields of the file that failed its schema at ingest, with the reason (curated.spotify_wrapped.rejected_fields): why a figure is null.';
