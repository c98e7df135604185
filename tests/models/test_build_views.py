"""marts/build: the files and listeners the next build takes, and the BRIN summarizer."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg

from .rows import add_file, insert

MODELS = ["marts.pending_files", "marts.pending_listeners", "marts.summarize_new_blocks"]


def pending(conn, view: str, column: str, listeners: list[str]) -> list:
    rows = conn.execute(f"SELECT {column} FROM marts.{view} WHERE listener = ANY(%s) ORDER BY 1", (listeners,))
    return [row[0] for row in rows]


def test_pending_files_are_the_loaded_files_no_build_took(conn):
    new = add_file(conn, "pf_owner")
    built = add_file(conn, "pf_owner")
    add_file(conn, "pf_owner", status="quarantined")
    insert(conn, "marts.built_files", {"file_id": built})
    rows = conn.execute("SELECT file_id, listener, kind FROM marts.pending_files WHERE listener = 'pf_owner'")
    assert rows.fetchall() == [(new, "pf_owner", "extended_audio")]


def test_a_pending_export_file_makes_its_owner_pending(conn):
    add_file(conn, "pl_owner", kind="library")
    assert pending(conn, "pending_listeners", "listener", ["pl_owner"]) == ["pl_owner"]


def test_a_pending_feed_file_makes_the_users_of_its_spans_pending_not_the_feed(conn):
    feed = add_file(conn, "pl_feed", kind="feed")
    moment = datetime(2024, 1, 1, tzinfo=UTC)
    for user in ("pl_user_1", "pl_user_2"):
        insert(conn, "ingest.file_spans", {"file_id": feed, "listener": user, "first_ended_at": moment,
                                           "last_ended_at": moment})  # fmt: skip
    listeners = ["pl_feed", "pl_user_1", "pl_user_2"]
    assert pending(conn, "pending_listeners", "listener", listeners) == ["pl_user_1", "pl_user_2"]
    insert(conn, "marts.built_files", {"file_id": feed})
    assert pending(conn, "pending_listeners", "listener", listeners) == []


def test_summarize_new_blocks_summarizes_a_free_brin_index(conn):
    assert conn.execute("SELECT marts.summarize_new_blocks('curated.play_rows_file_time_brin')").fetchone()[0]


def test_summarize_new_blocks_gives_false_at_once_while_vacuum_holds_the_table(conn, models_lake):
    with psycopg.connect(models_lake.database_url) as vacuum:  # VACUUM's lock, held by another session
        vacuum.execute("LOCK TABLE curated.play_rows IN SHARE UPDATE EXCLUSIVE MODE")
        assert not conn.execute("SELECT marts.summarize_new_blocks('curated.play_rows_file_time_brin')").fetchone()[0]
    assert conn.execute("SHOW lock_timeout").fetchone()[0] == "0"  # its 50 ms undone
