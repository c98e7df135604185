-- Sums per listener and local month of the fact rows a build writes (insert_facts fills it), to be
-- added to the monthly totals.
CREATE TEMPORARY TABLE touched_months (
    listener      text   NOT NULL,
    month         date   NOT NULL,
    music_plays   bigint NOT NULL,
    streams       bigint NOT NULL,
    music_ms      bigint NOT NULL,
    podcast_plays bigint NOT NULL,
    podcast_ms    bigint NOT NULL,
    last_hour     timestamptz NOT NULL
) ON COMMIT DROP
