-- The date a JSON string starts with (YYYY-MM-DD), or null for anything else.
-- inputs:
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
