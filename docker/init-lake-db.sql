-- The lake's own database and owner, beside Airflow's metadata database.
CREATE ROLE lake LOGIN PASSWORD 'lake';
CREATE DATABASE lake OWNER lake;
