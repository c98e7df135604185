TRUNCATE marts.last_build, marts.last_build_months
