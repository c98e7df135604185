"""marts/insights/playlist_pruning on hand-made rows: each reason on the track that earns it, none on
a streamed, unskipped track in one playlist."""

from __future__ import annotations

import uuid
from datetime import date

from .rows import add_file, fact

MODELS = ["marts.playlist_pruning"]


def item(conn, file_id: int, playlist: str, position: int, track: str) -> None:
    conn.execute(
        "INSERT INTO curated.playlist_items (listener, playlist_name, position, item_type, track_name, artist_name,"
        " uri, file_id, item_key) VALUES ('pp', %s, %s, 'track', %s, 'A', %s, %s, %s)",
        (playlist, position, track, f"spotify:track:{track}", file_id, uuid.uuid4()),
    )


def test_each_reason_is_given_to_the_track_that_earns_it_and_no_other(conn):
    for track in ("kept", "twice", "elsewhere"):
        fact(conn, "pp", date(2024, 6, 1), artist="A", track=track, item_key=f"spotify:track:{track}")
    fact(conn, "pp", date(2022, 6, 1), artist="A", track="old", item_key="spotify:track:old")
    fact(conn, "pp", date(2024, 6, 1), artist="A", track="skipped", item_key="spotify:track:skipped",
         plays=3, counted_plays=3, skips=2, skip_known=3)  # fmt: skip
    file_id = add_file(conn, "pp", kind="playlist")
    for position, track in enumerate(["kept", "old", "skipped", "twice", "twice", "elsewhere"]):
        item(conn, file_id, "A list", position, track)
    item(conn, file_id, "B list", 0, "elsewhere")
    found = conn.execute("SELECT * FROM marts.playlist_pruning('pp', '2024-12-31')").fetchall()
    assert found == [
        ("A list", 1, "old", "A", "spotify:track:old", ["not_streamed"]),
        ("A list", 2, "skipped", "A", "spotify:track:skipped", ["mostly_skipped"]),
        ("A list", 4, "twice", "A", "spotify:track:twice", ["duplicate_in_playlist"]),
        ("B list", 0, "elsewhere", "A", "spotify:track:elsewhere", ["duplicate_of_other_playlist"]),
    ]
