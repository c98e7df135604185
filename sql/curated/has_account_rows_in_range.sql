-- Whether any account-data play could be covered by a new extended-history file.
SELECT EXISTS (
    SELECT 1 FROM curated.play_rows
    WHERE listener = %(listener)s::text
      AND ended_at BETWEEN %(first)s::timestamptz - interval '2 minutes'
                       AND %(last)s::timestamptz + interval '2 minutes'
      AND source = 'account'
)
