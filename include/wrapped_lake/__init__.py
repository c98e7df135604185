"""wrapped-lake: a personal data lake for Spotify listening data."""
