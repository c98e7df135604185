-- One artist's streams and the share of them by flagged accounts (marts.artist_suspicious_share).
SELECT streams, suspicious_streams, suspicious_share
FROM marts.artist_suspicious_share
WHERE artist_name = %(artist)s
