"""marts/anomalies: the stream-farm signals, the score and its reasons, the artists' suspicious share
and the free-tier flag, each on a few hand-made feed plays. The per-account tables are the build's
fills: the plays are committed once for the module and built (whole, as files of an export, then a
feed file's new day for one account, as an incremental build takes it); the views read every feed
listener, so each test queries its own listeners."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wrapped_lake.marts.build import build

from .rows import add_plays, insert

MODELS = [
    "marts.feed_play_gaps", "marts.account_signals", "marts.shared_catalogue", "marts.anomaly_scores",
    "marts.artist_suspicious_share", "marts.free_tier_heavy_users", "marts.account_days", "marts.account_tracks",
    "marts.account_heavy_tracks", "new_feed_plays",
]  # fmt: skip

T0 = datetime(2026, 3, 2, tzinfo=UTC)
HOUR = 3_600_000


def run(conn, listener: str, starts_ms: list[int], ms: int | list[int] = 180_000, tracks: list[str] | None = None,
        artist: str = "Band", countries: list[str] | None = None, kind: str = "avro") -> int:  # fmt: skip
    """Feed plays of `listener` starting at these ms after T0, each `ms` long, on the given tracks
    (cycled), in one file of `kind` (avro: rebuilt whole; feed: its hours, with the spans the loader writes)."""
    lengths = ms if isinstance(ms, list) else [ms] * len(starts_ms)
    tracks = tracks or [f"{listener}-t{i}" for i in range(len(starts_ms))]
    file_id = add_plays(conn, listener, [
        {"ended_at": T0 + timedelta(milliseconds=s + length), "ms": length, "artist_name": artist,
         "track_uri": f"spotify:track:{tracks[i % len(tracks)]}",
         "conn_country": (countries or ["SE"])[i % len(countries or ["SE"])]}
        for i, (s, length) in enumerate(zip(starts_ms, lengths, strict=True))
    ], source="feed", kind=kind)  # fmt: skip
    if kind == "feed":
        conn.execute(
            "INSERT INTO ingest.file_spans SELECT file_id, listener, min(ended_at), max(ended_at)"
            " FROM curated.play_rows WHERE file_id = %s GROUP BY 1, 2",
            (file_id,),
        )
    return file_id


def back_to_back(count: int, length: int, pause: int, first: int = 0) -> list[int]:
    return [first + i * (length + pause) for i in range(count)]


@pytest.fixture(scope="module")
def built(shared_conn, models_lake):
    """Every account below, committed and built; then one more day of a feed account, built again.
    No feed user is committed (other modules' views read every feed user): tests add theirs."""
    conn = shared_conn
    run(conn, "sig_user", back_to_back(40, 31_000, 1_000), ms=31_000, tracks=["a", "b"], countries=["SE", "NO", "FI"])
    run(conn, "sleep_owl", back_to_back(72, HOUR - 1000, 1000))  # three days, one play an hour
    run(conn, "sleep_lark", [d * 24 * HOUR + h * HOUR for d in range(3) for h in range(8, 20)])  # 12 h a day
    for member in ("ring_a", "ring_b", "ring_c"):
        run(conn, member, back_to_back(60, 180_000, 2_000), tracks=["r1", "r2", "r3", "r4"])
    run(conn, "ring_apart", back_to_back(60, 180_000, 2_000), tracks=["r1", "r1"] + [f"own{i}" for i in range(58)])
    run(conn, "ring_few", back_to_back(40, 180_000, 2_000), tracks=["r1", "r2"])  # under 50 plays: not judged
    run(conn, "score_farm", back_to_back(300, 32_000, 1_000), ms=32_000, tracks=[f"f{i}" for i in range(30)])
    run(conn, "score_overlap", [i * 100_000 for i in range(30)], ms=180_000)
    pauses = [700, 5_000, 200, 40_000, 1_500, 300]  # a person's pauses: irregular
    starts = [sum(180_000 + pauses[j % 6] for j in range(i)) for i in range(60)]
    run(conn, "score_fan", starts, tracks=[f"fan{i}" for i in range(20)], artist="Idol")
    run(conn, "share_farm", [i * 100_000 for i in range(30)], ms=180_000, artist="Share Artist")
    run(conn, "share_fan", back_to_back(10, 180_000, 5_000, first=10**9), artist="Share Artist")
    run(conn, "share_fan", [2 * 10**9], ms=10_000, artist="Share Artist")  # under 30 s: not a stream
    for listener, hours in [("tier_a", 1), ("tier_b", 1), ("tier_c", 1), ("tier_heavy", 12), ("tier_premium", 12)]:
        run(conn, listener, back_to_back(hours * 20, 180_000, 0))
    # A feed account's day, then its next: 30 plays of 3 minutes, one every 3 minutes 30 s from
    # 23:00 (the last start past midnight), each on a track of its own but "day0" and "day1", 25 times each.
    day_tracks = ["day0"] * 25 + [f"d0-{i}" for i in range(5)]
    run(conn, "inc_user", back_to_back(30, 180_000, 30_000, first=23 * HOUR), tracks=day_tracks, kind="feed")
    build(conn, models_lake)
    next_day = ["day1"] * 25 + [f"d1-{i}" for i in range(5)]
    run(conn, "inc_user", back_to_back(30, 180_000, 30_000, first=47 * HOUR), tracks=next_day, kind="feed")
    build(conn, models_lake)
    return conn


def signals(conn, listener: str) -> dict:
    cur = conn.execute("SELECT * FROM marts.account_signals WHERE listener = %s", (listener,))
    return dict(zip([c.name for c in cur.description], cur.fetchone(), strict=True))


def scored(conn, listener: str) -> tuple:
    return conn.execute("SELECT score, flagged, reasons FROM marts.anomaly_scores WHERE listener = %s",
                        (listener,)).fetchone()  # fmt: skip


def test_feed_play_gaps_give_the_pause_before_and_after_each_play_negative_when_plays_overlap(conn):
    run(conn, "gap_user", [0, 190_000, 300_000], ms=180_000)
    add_plays(conn, "gap_export", [{"ended_at": T0, "ms": 1000}])  # an export's play: not the feed's
    rows = conn.execute("SELECT listener, gap_before_ms, gap_after_ms FROM marts.feed_play_gaps"
                        " WHERE listener LIKE 'gap_%%' ORDER BY started_at").fetchall()  # fmt: skip
    assert rows == [("gap_user", None, 10_000), ("gap_user", 10_000, -70_000), ("gap_user", -70_000, None)]


def test_account_signals_measure_overlaps_thirty_second_plays_pauses_tracks_and_countries(built):
    row = signals(built, "sig_user")
    assert (row["plays"], row["overlap_share"], row["just_over_30s_share"], row["gaps"]) == (40, 0, 1, 39)
    assert row["gap_cv"] == 0 and row["plays_per_track_day"] == 20 and row["most_countries_in_a_day"] == 3


def test_a_day_without_a_three_hour_pause_is_sleepless_and_the_last_day_is_not_judged(built):
    owl, lark = signals(built, "sleep_owl"), signals(built, "sleep_lark")
    assert (owl["judged_days"], owl["sleepless_days"]) == (2, 2)
    assert (lark["judged_days"], lark["sleepless_days"]) == (2, 0)


def test_account_days_sum_the_plays_and_pauses_of_each_utc_day(built):
    days = built.execute(
        "SELECT utc_day, plays, tracks, overlapping_plays, gaps, gap_sum, longest_gap_ms FROM marts.account_days"
        " WHERE listener = 'sleep_owl' ORDER BY utc_day"
    ).fetchall()
    assert [day[1:] for day in days] == [(24, 24, 0, 0, 0, 57 * 60_000)] * 3  # 3-minute plays, one an hour


def test_a_new_days_plays_are_added_to_the_account_by_an_incremental_build(built):
    days = built.execute(
        "SELECT utc_day, plays, tracks FROM marts.account_days WHERE listener = 'inc_user' ORDER BY utc_day"
    ).fetchall()
    assert [(plays, tracks) for _, plays, tracks in days] == [(18, 1), (30, 7), (12, 6)]  # 03-03: from both files
    tracks = built.execute(
        "SELECT track_uri, plays FROM marts.account_tracks WHERE listener = 'inc_user' AND plays > 1 ORDER BY 1"
    ).fetchall()
    assert tracks == [("spotify:track:day0", 25), ("spotify:track:day1", 25)]
    # 30 plays were too few to judge; at 60, "day0" (no new play) is heavy too: 25 plays, 2% is 1.2.
    heavy = built.execute(
        "SELECT track_uri, plays, total FROM marts.account_heavy_tracks WHERE listener = 'inc_user' ORDER BY 1"
    ).fetchall()
    assert heavy == [("spotify:track:day0", 25, 60), ("spotify:track:day1", 25, 60)]
    # The days hold the pauses inside them (17, 11 + 17 and 11: the 22 hours on 03-03 are no
    # pause of 0 to 10 minutes); the two 30 s pauses across midnight are added by the signals.
    assert built.execute("SELECT sum(gaps) FROM marts.account_days WHERE listener = 'inc_user'").fetchone()[0] == 56
    row = signals(built, "inc_user")
    assert (row["plays"], row["active_days"], row["gaps"], row["judged_days"]) == (60, 3, 58, 2)


def test_accounts_sharing_a_small_catalogue_are_found_and_a_listener_apart_is_not(built):
    rows = built.execute(
        "SELECT listener, shared_tracks, most_accounts, round(shared_share::numeric, 3)::float"
        " FROM marts.shared_catalogue WHERE listener LIKE 'ring_%%' ORDER BY 1"
    ).fetchall()
    assert rows == [("ring_a", 4, 4, 1), ("ring_apart", 1, 4, 0.033), ("ring_b", 4, 4, 1), ("ring_c", 4, 4, 1)]


def test_a_thirty_second_farm_is_flagged_with_its_reasons(built):
    score, flagged, reasons = scored(built, "score_farm")
    assert flagged and score == 1
    assert reasons == ["100% of plays last 30-40 s", "pauses between plays all alike (variation 0.00)",
                       "each track played 10.0 times a day"]  # fmt: skip


def test_overlapping_plays_alone_flag_an_account(built):
    score, flagged, reasons = scored(built, "score_overlap")
    assert (score, flagged, reasons) == (0.60, True, ["100% of plays start before the previous one ended"])


def test_a_super_fan_repeating_one_artist_is_not_flagged(built):
    score, flagged, reasons = scored(built, "score_fan")
    assert (score, flagged, reasons) == (0, False, [])


def feed_users(conn, tiers: dict[str, str]) -> None:
    for listener, tier in tiers.items():
        insert(conn, "curated.feed_users", {"listener": listener, "subscription_type": tier, "file_id": 0})


def test_the_artist_share_counts_streams_of_flagged_accounts_only(built, conn):
    row = built.execute("SELECT streams, suspicious_streams, suspicious_share FROM marts.artist_suspicious_share"
                        " WHERE artist_name = 'Share Artist'").fetchone()  # fmt: skip
    assert row == (40, 30, 0.75)


def test_free_tier_accounts_far_above_the_tiers_median_minutes_are_flagged(built, conn):
    feed_users(
        conn, {"tier_a": "FREE", "tier_b": "FREE", "tier_c": "FREE", "tier_heavy": "FREE", "tier_premium": "PREMIUM"}
    )
    rows = built.execute("SELECT listener, minutes_per_day, tier_median_minutes, times_median"
                         " FROM marts.free_tier_heavy_users WHERE listener LIKE 'tier_%%'").fetchall()  # fmt: skip
    assert rows == [("tier_heavy", 720, 60, 12)]
