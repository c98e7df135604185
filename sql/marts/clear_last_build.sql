DELETE FROM marts.last_build
