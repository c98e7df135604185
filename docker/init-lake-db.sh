#!/usr/bin/env bash
# The lake's own database and owner beside Airflow's metadata database (run once by the postgres
# image on an empty volume); the password comes from .env.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v pw="$LAKE_DB_PASSWORD" <<'SQL'
CREATE ROLE lake LOGIN PASSWORD :'pw';
CREATE DATABASE lake OWNER lake;
SQL
