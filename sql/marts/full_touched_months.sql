-- A full build touched every month of every listener (record_build keeps them for the checks).
CREATE TEMPORARY TABLE touched_months ON COMMIT DROP AS SELECT listener, month, last_hour FROM marts.listener_months
