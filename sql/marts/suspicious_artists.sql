-- Artists with streams by flagged accounts, the largest suspicious share first.
SELECT artist_name, streams, suspicious_streams, suspicious_share
FROM marts.artist_suspicious_share
WHERE suspicious_streams > 0
ORDER BY suspicious_share DESC, suspicious_streams DESC, artist_name
