-- One share of a full build: new, still unattached tables shaped like the detection's tables
-- (sql/models/marts/anomalies/account_days, account_tracks, account_heavy_tracks),
-- holding only the listeners of this share's range ({in_range}); the CHECK lets the swap attach
-- them without a scan. Keyed once filled (detection_indexes). The counts per track and the heavy
-- tracks' counts and totals are updated by every new day: half of each page is left free, so
-- those updates stay on their page and leave the key alone (HOT), as the monthly totals do
-- (migration 018); a fifth of the days' pages, for the pause after the last day that a new day
-- sets.
CREATE UNLOGGED TABLE {account_days} (LIKE marts.account_days INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CHECK ({in_range}))
    WITH (fillfactor = 80);
CREATE UNLOGGED TABLE {account_tracks} (LIKE marts.account_tracks INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CHECK ({in_range}))
    WITH (fillfactor = 50);
CREATE UNLOGGED TABLE {heavy_tracks} (
    LIKE marts.account_heavy_tracks INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CHECK ({in_range})
) WITH (fillfactor = 50)
