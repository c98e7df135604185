SELECT nextval('marts.build_ids')
