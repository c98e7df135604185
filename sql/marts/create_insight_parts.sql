-- One share of a full build: new, still unattached tables shaped like the insights' daily tables
-- (sql/models/marts/insights/listener_days, listener_day_artists), holding only the listeners of
-- this share's range ({in_range}); the CHECK lets the swap attach them without a scan. Indexed
-- once filled (insight_indexes).
CREATE UNLOGGED TABLE {days} (LIKE marts.listener_days INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CHECK ({in_range}));
CREATE UNLOGGED TABLE {day_artists} (
    LIKE marts.listener_day_artists INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CHECK ({in_range})
)
