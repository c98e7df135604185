SELECT listener FROM build_targets ORDER BY listener
