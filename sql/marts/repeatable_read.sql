-- An incremental build reads one snapshot, taken at its first statement (after the build lock): the
-- files it records as built are exactly those whose plays it read, and every step sees the same
-- curated data however many files an ingest commits meanwhile (read committed, a step could see a
-- file that an earlier one had not: account plays matched against a library without that file's
-- URIs, say). Only builds write the marts, one at a time, so nothing it updates changes under it.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ
