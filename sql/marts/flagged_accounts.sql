-- Accounts of the simulated feed the stream-farm score flags, highest score first.
SELECT listener, score, reasons
FROM marts.anomaly_scores
WHERE flagged
ORDER BY score DESC, listener
