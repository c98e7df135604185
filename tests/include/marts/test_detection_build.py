"""The stream-farm detection kept by the marts build (marts.account_days, account_tracks,
account_heavy_tracks): a simulated feed with farms, super-fans and sleepers,
ingested and built one day at a time, scores exactly as the views did when they ordered every
feed play on each query (their definitions kept in detection_before.sql), and `build --full`
afterwards gives the same rows."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from wrapped_lake.ingest import ingest
from wrapped_lake.marts.build import CheckFailed, build, run_checks
from wrapped_lake.simulate import simulate

USERS, DAYS, BOTS, SEED = 120, 3, 0.05, 11
START = dt.date(2026, 3, 2)
BEFORE = Path(__file__).with_name("detection_before.sql")
VIEWS = ["account_signals", "shared_catalogue", "anomaly_scores", "artist_suspicious_share"]
TABLES = {
    "account_days": "listener, utc_day", "account_tracks": "listener, track_uri",
    "account_heavy_tracks": "listener, track_uri", "track_totals": "track_uri", "weekly_track_streams": "1, 2",
}  # fmt: skip


def rows(conn, relation: str, order: str) -> list[tuple]:
    return conn.execute(f"SELECT * FROM {relation} ORDER BY {order}").fetchall()  # names from the lists above


@pytest.fixture
def built_daily(lake, conn, tmp_path):
    """The feed simulated into a folder of its own, then ingested and built one UTC day at a time."""
    feed = tmp_path / "feed"
    simulate(USERS, DAYS, START, SEED, feed, bots=BOTS)
    for day in sorted(feed.rglob("date=*")):
        shutil.copytree(day, lake.inbox / "simulated" / day.name)
        ingest(lake)
        build(conn, lake)
    return conn


def test_detection_built_day_by_day_scores_as_the_views_over_every_play_did(built_daily):
    conn = built_daily
    conn.execute(BEFORE.read_text())
    flagged = conn.execute("SELECT count(*) FILTER (WHERE flagged), count(*) FROM marts.anomaly_scores").fetchone()
    assert flagged[0] >= 5 and flagged[1] > USERS  # the farms are there, and every account is scored
    for view in VIEWS:
        assert rows(conn, f"marts.{view}", "1") == rows(conn, f"before_{view}", "1"), view


def test_a_full_build_after_daily_builds_gives_the_same_rows(built_daily, lake):
    conn = built_daily
    daily = {table: rows(conn, f"marts.{table}", order) for table, order in TABLES.items()}
    assert all(daily.values())
    build(conn, lake, full=True)
    for table, order in TABLES.items():
        assert rows(conn, f"marts.{table}", order) == daily[table], table
    # The check beside the tables sees a play counted twice (its sample: the first 100 by md5).
    conn.execute(
        "UPDATE marts.account_tracks SET plays = plays + 1 WHERE (listener, track_uri) = (SELECT listener, track_uri"
        " FROM marts.account_tracks ORDER BY md5(listener), track_uri LIMIT 1)"
    )
    with pytest.raises(CheckFailed, match="tracks_add_up"):
        run_checks(lake)
