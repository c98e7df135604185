-- Plays the lake holds for one listener (every source, private sessions included), to check the demo against its generator.
SELECT count(*) FROM curated.plays WHERE listener = %(listener)s
