"""The data checks while an ingest commits files: they compare the marts with the files the build
took (its snapshot), so they fail only when the marts are wrong."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from wrapped_lake import fixtures
from wrapped_lake.ingest import ingest
from wrapped_lake.marts import build as build_module
from wrapped_lake.marts.build import CheckFailed, build, run_checks

DAY = datetime(2025, 3, 1, tzinfo=UTC)


def play(listener: str, ended_at: datetime, track: str) -> dict:
    return {"listener": listener, "ended_at": ended_at, "ms": 90000, "track_name": track, "artist_name": "X",
            "track_uri": f"spotify:track:{track}"}  # fmt: skip


# One loaded file with one play (and, for a feed file, its span), committed at once as the loader does.
LOAD_FILE = """
WITH f AS (
    INSERT INTO ingest.files (listener, sha256, name, size_bytes, kind, status, raw_path, started_at)
    VALUES (%(owner)s, %(sha)s, 'file', 0, %(kind)s, 'loaded', '', now()) RETURNING file_id
),
p AS (
    INSERT INTO curated.play_rows (play_key, listener, source, media, ended_at, started_at, ms_played, track_name,
                                   artist_name, track_uri, file_id)
    SELECT %(key)s, %(listener)s, %(source)s, 'music', %(at)s, %(at)s - interval '90 s', 90000, 'T', 'X',
           'spotify:track:t', file_id FROM f
)
INSERT INTO ingest.file_spans SELECT file_id, %(listener)s, %(at)s, %(at)s FROM f WHERE %(kind)s = 'feed'
"""


class Loader(threading.Thread):
    """Commits a new file every few milliseconds until stopped, as an ingest does: an export file of
    'zed' and a feed file of 'ben' in turn, both with a play in hours the marts already hold."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.stop, self.files = url, threading.Event(), 0

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.wait(0.003):
                feed = self.files % 2 == 0
                conn.execute(LOAD_FILE, {
                    "owner": "simulated" if feed else "zed", "listener": "ben" if feed else "zed",
                    "kind": "feed" if feed else "extended_audio", "source": "feed" if feed else "extended",
                    "sha": uuid.uuid4().hex, "key": uuid.uuid4(), "at": DAY + timedelta(minutes=self.files % 600),
                })  # fmt: skip
                self.files += 1


def test_checks_pass_while_files_are_committed_throughout_the_builds(lake, conn, plays_file, database_url):
    plays_file("zed", [play("zed", DAY, "a")])
    file_id = plays_file("simulated", [play("ben", DAY, "b")], source="feed", kind="feed")
    conn.execute(
        "INSERT INTO curated.feed_users (listener, country, continent, subscription_type, file_id)"
        " VALUES ('ben', 'SE', 'EU', 'PREMIUM', %s)",
        (file_id,),
    )
    build(conn, lake)
    loader = Loader(database_url)
    loader.start()
    try:
        for full in (True, False, False, True, False, False):
            build(conn, lake, full=full)  # runs the checks: a CheckFailed fails the test
    finally:
        loader.stop.set()
        loader.join()
    assert loader.files > 20

    build(conn, lake)  # everything the loader committed, checked whole
    conn.execute("UPDATE marts.listener_months SET music_ms = music_ms + 1 WHERE listener = 'zed'")
    with pytest.raises(CheckFailed, match="years_match_curated"):
        run_checks(lake)


def test_an_extended_history_loaded_before_the_checks_run_does_not_fail_them(lake, conn, monkeypatch):
    """Extended history committed between a build and its checks replaces account plays the build
    counted: that listener is checked by the next build, which takes the file."""
    export = fixtures.full_history("erin", plays=600)
    fixtures.write_files(lake.inbox / "erin", {"account.zip": export.files["account/my_spotify_data.zip"]})
    ingest(lake)
    extended = fixtures.write_files(lake.inbox / "late", {"extended.zip": export.files["my_spotify_data.zip"]})
    checks = build_module.run_checks

    def ingest_then_check(settings):
        reports = ingest(settings, [str(path) for path in extended], listener="erin")
        assert sum(report.rows.replaced for report in reports) > 0  # the account plays it replaced
        return checks(settings)

    monkeypatch.setattr(build_module, "run_checks", ingest_then_check)
    build(conn, lake)
    monkeypatch.setattr(build_module, "run_checks", checks)
    assert build(conn, lake).listeners == ["erin"]
    conn.execute("UPDATE marts.listener_months SET music_plays = music_plays + 1 WHERE listener = 'erin'")
    with pytest.raises(CheckFailed, match="years_match_curated"):
        run_checks(lake)
