-- A JSON number that is a whole count from 0 to 2147483647, or null for anything else.
-- inputs:
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
