-- marts.utc_hour was first made here; it is a model now (sql/models/marts/rules/utc_hour.sql).
SELECT;
