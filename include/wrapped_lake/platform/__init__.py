"""Plumbing: configuration, Postgres, files, errors, and running the Airflow stack."""
