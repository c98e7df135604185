"""One listener's Wrapped from the marts: JSON, terminal text and a self-contained HTML page."""
