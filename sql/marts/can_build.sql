-- Whether this session may rebuild the marts: a primary, not read-only, allowed to create tables
-- in marts and owning the partitioned tables (a full build attaches new partitions to them).
SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'
       AND has_schema_privilege('marts', 'CREATE')
       AND pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'marts.hourly_plays'::regclass), 'USAGE')
