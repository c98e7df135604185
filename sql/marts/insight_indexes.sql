-- A full build's new insight tables are indexed once they are filled (one sort each), with the
-- keys of the partitioned tables, so the swap attaches these instead of building others; and
-- analyzed by the session that filled them.
ALTER TABLE {days} ADD PRIMARY KEY (listener, local_date);
CREATE INDEX ON {day_artists} (listener, local_date);
CREATE INDEX ON {day_artists} (artist_name);
ANALYZE {days}, {day_artists}
