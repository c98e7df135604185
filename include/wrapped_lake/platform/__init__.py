"""Platform: settings, Postgres access, durable file writes, errors and test fault points."""
