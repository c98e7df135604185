-- True when crash recovery emptied the marts: a build committed (its logged stamp) but the unlogged
-- stamp it wrote in the same transaction is gone (migration 022).
SELECT EXISTS (SELECT FROM marts.build_stamp) AND NOT EXISTS (SELECT FROM marts.build_stamp_unlogged)
