DELETE FROM marts.listener_months m
USING build_targets t
WHERE m.listener = t.listener
  AND (t.whole OR EXISTS (SELECT FROM touched_months x WHERE x.listener = m.listener AND x.month = m.month))
