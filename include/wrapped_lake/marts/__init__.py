"""The Wrapped marts: built in Postgres from the SQL under sql/marts/."""
