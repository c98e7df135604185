"""marts/facts: the build's fills on a handful of plays, through the real build (the fills run
only inside it: known_track_uris is a temporary table of the build's transaction). The plays are
committed once for the module, each listener for one behaviour; the rows stay under fx_ names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from wrapped_lake.marts.build import build
from wrapped_lake.marts.listeners import set_timezone

from .rows import add_file, add_plays, insert

MODELS = ["known_track_uris", "marts.hourly_plays", "marts.listener_months", "marts.listeners"]
MAY_1 = datetime(2024, 5, 1, tzinfo=UTC)
FACT = (
    "SELECT utc_hour, local_date, local_hour, media, item_key, plays, counted_plays, ms_played, ms_counted,"
    " skips, skip_known FROM marts.hourly_plays WHERE listener = %s ORDER BY utc_hour, item_key"
)


def song(ended_at: datetime, ms: int, track: str = "Song", uri: str | None = "spotify:track:song", **columns) -> dict:
    return {"ended_at": ended_at, "ms": ms, "track_name": track, "artist_name": "Band", "track_uri": uri} | columns


@pytest.fixture(scope="module")
def built(shared_conn, models_lake):
    """The shared database after one build of the plays below, committed: the build reads them in
    sessions of its own."""
    conn = shared_conn
    add_plays(conn, "fx_counts", [
        song(MAY_1 + timedelta(hours=10, minutes=5), 29999),
        song(MAY_1 + timedelta(hours=10, minutes=40), 30000, skipped=True),
        {"ended_at": MAY_1 + timedelta(hours=11, minutes=5), "ms": 59999, "media": "podcast", "show_name": "Cast"},
        {"ended_at": MAY_1 + timedelta(hours=11, minutes=50), "ms": 60000, "media": "podcast", "show_name": "Cast"},
        song(MAY_1 + timedelta(hours=12), 90000, incognito_mode=True),
        {"ended_at": MAY_1 + timedelta(hours=13), "ms": 90000, "media": "audiobook", "audiobook_title": "Book"},
    ])  # fmt: skip
    add_plays(conn, "fx_tokyo", [song(datetime(2024, 3, 31, 23, 30, tzinfo=UTC), 45000)])
    set_timezone(conn, "fx_tokyo", "Asia/Tokyo")
    add_plays(conn, "fx_account", [song(datetime(2024, 1, 1, 12, tzinfo=UTC), 60000, "Known", "spotify:track:known")])
    library = add_file(conn, "fx_account", kind="library")
    insert(conn, "curated.library_items", {"listener": "fx_account", "item_type": "track", "name": "Saved",
                                           "artist_name": "Band", "uri": "spotify:track:saved", "file_id": library,
                                           "item_key": "00000000-0000-0000-0000-000000000001"})  # fmt: skip
    account_day = datetime(2024, 1, 2, 12, tzinfo=UTC)
    add_plays(conn, "fx_account", [
        song(account_day, 60000, "Known", None), song(account_day, 60000, "Saved", None),
        song(account_day, 60000, "Unknown", None),
    ], source="account", kind="account_music")  # fmt: skip
    build(conn, models_lake)
    return conn


def test_a_fact_row_counts_plays_of_30_s_of_music_and_60_s_of_a_podcast(built):
    assert built.execute(FACT, ("fx_counts",)).fetchall() == [
        (MAY_1 + timedelta(hours=10), date(2024, 5, 1), 10, "music", "spotify:track:song", 2, 1, 59999, 30000, 1, 1),
        (MAY_1 + timedelta(hours=11), date(2024, 5, 1), 11, "podcast", "Cast", 2, 1, 119999, 60000, 0, 0),
    ]  # private sessions and audiobooks left out


def test_a_play_at_23_30_utc_lands_on_the_next_local_date_in_tokyo(built):
    assert built.execute(FACT, ("fx_tokyo",)).fetchall() == [
        (datetime(2024, 3, 31, 23, tzinfo=UTC), date(2024, 4, 1), 8, "music", "spotify:track:song", 1, 1, 45000,
         45000, 0, 0),
    ]  # fmt: skip


def test_an_account_play_takes_the_uri_its_listeners_history_or_library_gives_the_same_artist_and_track(built):
    keys = built.execute(
        "SELECT local_date, item_key FROM marts.hourly_plays WHERE listener = 'fx_account' ORDER BY 1, 2"
    ).fetchall()
    assert keys == [
        (date(2024, 1, 1), "spotify:track:known"),
        (date(2024, 1, 2), "names:Band\tUnknown"),
        (date(2024, 1, 2), "spotify:track:known"),
        (date(2024, 1, 2), "spotify:track:saved"),
    ]


def test_listener_months_sum_each_local_month(built):
    rows = built.execute(
        "SELECT listener, month, music_plays, streams, music_ms, podcast_plays, podcast_ms, last_hour"
        " FROM marts.listener_months WHERE listener IN ('fx_counts', 'fx_tokyo') ORDER BY 1, 2"
    ).fetchall()
    assert rows == [
        ("fx_counts", date(2024, 5, 1), 2, 1, 59999, 2, 119999, MAY_1 + timedelta(hours=12)),
        ("fx_tokyo", date(2024, 4, 1), 1, 1, 45000, 0, 0, datetime(2024, 4, 1, tzinfo=UTC)),  # March 31 in UTC
    ]


def test_listeners_hold_each_listeners_zone_source_and_built_hours(built):
    rows = built.execute(
        "SELECT listener, timezone, source, built_until FROM marts.listeners WHERE listener LIKE 'fx\\_%' ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("fx_account", "UTC", "export", datetime(2024, 1, 2, 13, tzinfo=UTC)),
        ("fx_counts", "UTC", "export", MAY_1 + timedelta(hours=12)),
        ("fx_tokyo", "Asia/Tokyo", "export", datetime(2024, 4, 1, tzinfo=UTC)),
    ]
