CREATE INDEX hourly_plays_listener_date ON marts.hourly_plays (listener, local_date);
ALTER TABLE marts.artist_firsts ADD PRIMARY KEY (listener, artist_name)
