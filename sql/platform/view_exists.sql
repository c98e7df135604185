-- Whether a view of this name exists (a model's name may still be a table's in an old lake:
-- curated.plays was one before migration 007).
SELECT EXISTS (SELECT FROM pg_class WHERE oid = to_regclass(%(name)s) AND relkind = 'v')
