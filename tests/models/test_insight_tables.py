"""marts/insights' daily tables through the real build: incremental builds (an export listener
rebuilt whole, new feed hours that cut a local date in two) give the rows a full build gives, and
the data check beside them holds. The plays are committed under it_ names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from wrapped_lake.marts.build import CheckFailed, build, run_checks
from wrapped_lake.marts.listeners import set_timezone

from .rows import add_plays, insert

MODELS = ["marts.listener_days", "marts.listener_day_artists"]
DAYS = (
    "SELECT listener, local_date, music_plays, streams, music_ms, podcast_plays, podcast_ms FROM marts.listener_days"
    " WHERE listener LIKE 'it\\_%' ORDER BY 1, 2"
)
DAY_ARTISTS = (
    "SELECT listener, local_date, artist_name, streams, ms_played FROM marts.listener_day_artists"
    " WHERE listener LIKE 'it\\_%' ORDER BY 1, 2, 3"
)


def play(ended_at: datetime, ms: int, artist: str | None = "Band", **columns) -> dict:
    return {"ended_at": ended_at, "ms": ms, "track_name": f"{artist} song", "artist_name": artist} | columns


def feed_file(conn, listener: str, plays: list[dict]) -> None:
    """A feed file of one simulated user, with the span of its plays the loader records."""
    file_id = add_plays(conn, listener, plays, source="feed", kind="feed")
    ends = [p["ended_at"] for p in plays]
    insert(conn, "ingest.file_spans", {"file_id": file_id, "listener": listener, "first_ended_at": min(ends),
                                       "last_ended_at": max(ends)})  # fmt: skip


def rows(conn) -> tuple[list[tuple], list[tuple]]:
    return conn.execute(DAYS).fetchall(), conn.execute(DAY_ARTISTS).fetchall()


def test_incremental_builds_give_the_daily_rows_of_a_full_build(shared_conn, models_lake):
    conn = shared_conn
    day = datetime(2024, 7, 1, tzinfo=UTC)
    add_plays(conn, "it_export", [
        play(day + timedelta(hours=9), 200_000), play(day + timedelta(hours=10), 20_000, "Other"),
        play(day + timedelta(days=1, hours=9), 90_000, None), {"ended_at": day + timedelta(days=2), "ms": 600_000,
                                                               "media": "podcast", "show_name": "Cast"},
    ])  # fmt: skip
    insert(conn, "curated.feed_users", {"listener": "it_feed", "file_id": 0})
    set_timezone(conn, "it_feed", "America/New_York")  # UTC-4: a UTC day is two local dates
    feed_file(conn, "it_feed", [play(day + timedelta(hours=h), 100_000, f"A{h % 3}") for h in range(0, 24, 2)])
    build(conn, models_lake)
    first = rows(conn)
    assert ("it_feed", date(2024, 6, 30), 2, 2, 200_000, 0, 0) in first[0]  # 00:00 and 02:00 UTC
    # A second day (its first hours fall on the local date the first day ended on) and more of the export.
    feed_file(conn, "it_feed", [play(day + timedelta(days=1, hours=h), 50_000, "A9") for h in range(0, 24, 3)])
    add_plays(conn, "it_export", [play(day + timedelta(hours=11), 40_000)])
    build(conn, models_lake)
    incremental = rows(conn)
    assert ("it_feed", date(2024, 7, 1), 12, 12, 1_100_000, 0, 0) in incremental[0]  # 10 plays of day 1, 2 of day 2
    assert ("it_export", date(2024, 7, 1), "Band", 2, 240_000) in incremental[1]
    assert ("it_export", date(2024, 7, 2), 1, 1, 90_000, 0, 0) in incremental[0]
    assert not any(artist is None for _, _, artist, _, _ in incremental[1])
    build(conn, models_lake, full=True)
    assert rows(conn) == incremental
    assert run_checks(models_lake)["daily_sums_match_facts"] >= 0
    a_day = "UPDATE marts.listener_days SET streams = streams + %s WHERE listener = 'it_export' AND local_date = %s"
    conn.execute(a_day, (1, date(2024, 7, 2)))
    conn.commit()
    with pytest.raises(CheckFailed, match="daily_sums_match_facts: days_match_fact"):
        run_checks(models_lake)
    conn.execute(a_day, (-1, date(2024, 7, 2)))
    conn.commit()
