"""Readers: bytes in, typed Arrow rows out (Spotify exports, the Avro feed, ZIP archives), no database."""
