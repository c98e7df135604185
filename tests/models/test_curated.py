"""curated.plays: every play row with the name of its file and the package it came from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .rows import add_plays

MODELS = ["curated.plays"]
PLAY = {"ended_at": datetime(2024, 5, 1, 12, tzinfo=UTC), "ms": 90000, "track_name": "Song", "artist_name": "Band"}


def test_a_play_carries_its_files_name_and_package(conn):
    for source, kind in (("extended", "extended_audio"), ("account", "account_music"), ("feed", "feed")):
        add_plays(conn, f"cp_{source}", [PLAY], source=source, kind=kind)
    rows = conn.execute(
        "SELECT listener, source_file, package FROM curated.plays WHERE listener LIKE 'cp\\_%' ORDER BY listener"
    ).fetchall()
    assert rows == [
        ("cp_account", "account_music.json", "Account Data"),
        ("cp_extended", "extended_audio.json", "Extended Streaming History"),
        ("cp_feed", "feed.json", "Simulated feed"),
    ]


def test_a_play_keeps_its_row_as_loaded(conn):
    add_plays(conn, "cp_row", [PLAY | {"skipped": True, "reason_end": "fwdbtn"}])
    row = conn.execute(
        "SELECT media, ended_at, started_at, ms_played, track_name, artist_name, skipped, reason_end"
        " FROM curated.plays WHERE listener = 'cp_row'"
    ).fetchall()
    ended = PLAY["ended_at"]
    assert row == [("music", ended, ended - timedelta(seconds=90), 90000, "Song", "Band", True, "fwdbtn")]
