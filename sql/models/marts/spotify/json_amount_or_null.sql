-- A JSON number of 0 or more, or null for anything else.
-- inputs:
CREATE FUNCTION marts.json_amount_or_null(value jsonb) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
SELECT CASE WHEN jsonb_typeof(value) = 'number' THEN
           CASE WHEN value::numeric >= 0 THEN value::numeric END
       END
$$;
COMMENT ON FUNCTION marts.json_amount_or_null(jsonb) IS 'A JSON number of 0 or more, or null for anything else.';
