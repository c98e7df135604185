"""Lake zones on disk: raw (exact bytes), quarantine (refused inputs) and curated Parquet."""
