-- Postgres notices a client that died (kill -9, the OOM killer) only when it next talks to it: a
-- killed build's statement ran on for as long as it had to go, holding the build lock or the names
-- of a full build's new tables, and the next build waited for it. Checked every second instead
-- (PostgreSQL 14+; also while waiting for a lock; measured: the backend was gone 1.0 s after the
-- kill instead of when its statement ended). Idle sessions notice at once anyway.
SET client_connection_check_interval = '1s'
