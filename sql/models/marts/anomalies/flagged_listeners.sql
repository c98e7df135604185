-- The accounts whose streams the charts, artist and population views leave out: flagged by marts.anomaly_scores, unless lake.include_flagged is on.
-- inputs: marts.anomaly_scores, marts.include_flagged
-- Empty when the session includes flagged accounts (marts.include_flagged), so a view leaves out
-- `listener NOT IN (SELECT listener FROM marts.flagged_listeners)` and nothing else.
CREATE VIEW marts.flagged_listeners AS
SELECT listener FROM marts.anomaly_scores WHERE flagged AND NOT marts.include_flagged();
COMMENT ON VIEW marts.flagged_listeners IS 'The accounts whose streams the charts, artist and population views leave out: flagged by marts.anomaly_scores, unless lake.include_flagged is on.';
COMMENT ON COLUMN marts.flagged_listeners.listener IS 'Simulated user flagged as a stream farm.';
