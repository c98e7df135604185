-- A full build's new detection tables get their keys once they are filled (one sort each), the
-- keys of the partitioned tables, so the swap attaches these instead of building others; and are
-- analyzed by the session that filled them.
ALTER TABLE {account_days} ADD PRIMARY KEY (listener, utc_day);
ALTER TABLE {account_tracks} ADD PRIMARY KEY (listener, track_uri);
ALTER TABLE {heavy_tracks} ADD PRIMARY KEY (listener, track_uri);
ANALYZE {account_days}, {account_tracks}, {heavy_tracks}
