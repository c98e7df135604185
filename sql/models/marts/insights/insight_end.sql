-- The last day a listener's insights look back from: the period's last day, or the listener's last play when they played nothing after the period.
-- inputs: marts.hourly_plays
-- "The last 12 months" of forgotten favourites, "the last 365 days" of unusual days and "the last
-- 12 weeks" of the trend all end here: at the end of the report's year (date_to) when the listener
-- played after it, else at their last play (music or podcast) on or before it; all time (date_to
-- far ahead) ends at the last play. Not always Dec 31, because an export stops when it was
-- downloaded and a year in progress stops today: counted from Dec 31, the empty months after the
-- last play would make every favourite look forgotten and every trend fall. Null for a listener
-- with no play on or before date_to.
CREATE FUNCTION marts.insight_end(listener text, date_to date) RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
SELECT CASE WHEN EXISTS (SELECT FROM marts.hourly_plays h WHERE h.listener = insight_end.listener AND h.local_date > date_to)
            THEN date_to
            ELSE (SELECT max(h.local_date) FROM marts.hourly_plays h
                  WHERE h.listener = insight_end.listener AND h.local_date <= date_to) END
$$;
COMMENT ON FUNCTION marts.insight_end(text, date) IS 'The day a listener''s insights count back from: date_to when the listener played after it, else their last play (local date) on or before it.';
