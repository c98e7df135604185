"""The marts build: incremental equals full, only touched listeners and hours, zones, data checks."""

from __future__ import annotations

import datetime as dt
import time
from datetime import UTC, datetime

import psycopg
import pytest

from wrapped_lake import fixtures
from wrapped_lake.ingest import ingest
from wrapped_lake.marts import build as build_module
from wrapped_lake.marts.build import CheckFailed, build, run_checks
from wrapped_lake.marts.listeners import listeners, set_timezone
from wrapped_lake.simulate import simulate

MART_TABLES = ("hourly_plays", "artist_firsts", "listener_months")


def mart_rows(conn) -> dict[str, list[tuple]]:
    """Every row of every mart table (and the listeners' zones), sorted; not which build wrote it."""
    rows = {}
    for table in MART_TABLES:
        columns = conn.execute(
            "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns"
            " WHERE table_schema = 'marts' AND table_name = %s AND column_name <> 'build_id'",
            (table,),
        ).fetchone()[0]
        rows[table] = sorted(conn.execute(f"SELECT {columns} FROM marts.{table}").fetchall(), key=repr)
    listeners = "SELECT listener, timezone, source, built_until FROM marts.listeners"
    rows["listeners"] = sorted(conn.execute(listeners).fetchall())
    return rows


def test_incremental_builds_equal_a_full_build_row_for_row(lake, conn):
    export = fixtures.full_history("alice", plays=1200)
    fixtures.write_files(lake.inbox / "alice", export.files)
    simulate(25, 2, dt.date(2025, 3, 1), 11, lake.inbox)
    ingest(lake)
    first = build(conn, lake)
    assert "alice" in first.listeners and len(first.listeners) > 10

    simulate(25, 1, dt.date(2025, 3, 3), 11, lake.inbox)  # one more day of the same users
    ingest(lake)
    second = build(conn, lake)
    assert "alice" not in second.listeners  # her files did not change
    assert second.listeners
    incremental = mart_rows(conn)

    full = build(conn, lake, full=True)
    assert full.full and set(full.listeners) >= set(first.listeners)
    assert mart_rows(conn) == incremental
    assert sum(len(rows) for rows in incremental.values()) > 1000


def partitions(conn) -> list[tuple[str, str]]:
    """The marts' partitions with their listener ranges."""
    return conn.execute(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent IN ('marts.hourly_plays'::regclass, 'marts.listener_months'::regclass) ORDER BY 1"
    ).fetchall()


def staged_tables(conn) -> list[tuple]:
    where = "relnamespace = 'marts'::regnamespace AND relkind = 'r' AND relname LIKE '%%\\_next%%'"
    return conn.execute(f"SELECT relname FROM pg_class WHERE {where}").fetchall()


def test_a_full_build_in_three_shares_swaps_in_whole_partitions(lake, conn, plays_file, monkeypatch):
    simulate(20, 1, dt.date(2025, 3, 1), 11, lake.inbox)
    ingest(lake)
    build(conn, lake)
    incremental = mart_rows(conn)
    monkeypatch.setattr(build_module, "part_count", lambda: 3)

    full = build(conn, lake, full=True)
    assert mart_rows(conn) == incremental
    assert full.seconds["parts"] > 0
    bounds = [bound for _, bound in partitions(conn)]
    assert len(bounds) == 6 and sum("MINVALUE" in b for b in bounds) == 2 and sum("MAXVALUE" in b for b in bounds) == 2
    assert staged_tables(conn) == []

    # Listeners that come later sort before and after every range: the open ends take them.
    for name in ("!first", "~last"):
        plays_file(name, [{"ended_at": datetime(2025, 3, 1, 9, tzinfo=UTC), "ms": 60000, "track_name": "A",
                           "artist_name": "X", "track_uri": "spotify:track:a"}])  # fmt: skip
    assert build(conn, lake).listeners == ["!first", "~last"]
    got = conn.execute(
        "SELECT listener, sum(plays) FROM marts.hourly_plays WHERE listener IN ('!first', '~last') GROUP BY 1"
    )
    assert sorted(got.fetchall()) == [("!first", 1), ("~last", 1)]


def test_a_failed_full_build_keeps_the_marts_it_had(lake, conn, monkeypatch):
    simulate(12, 1, dt.date(2025, 3, 1), 11, lake.inbox)
    ingest(lake)
    build(conn, lake)
    before = mart_rows(conn)
    built = conn.execute("SELECT count(*) FROM marts.built_files").fetchone()[0]
    monkeypatch.setattr(build_module, "part_count", lambda: 2)
    run = build_module._run

    def second_share_fails(part_conn, step, tables=None, passes=None):
        if step == "marts/analyze_parts" and "next1" in str(tables["facts"].as_string(part_conn)):
            part_conn.execute("SELECT 1 / 0")  # a real database error, after its tables were filled
        return run(part_conn, step, tables, passes)

    monkeypatch.setattr(build_module, "_run", second_share_fails)
    with pytest.raises(psycopg.errors.DivisionByZero):
        build(conn, lake, full=True)
    assert mart_rows(conn) == before
    assert conn.execute("SELECT count(*) FROM marts.built_files").fetchone()[0] == built
    assert staged_tables(conn) == []

    monkeypatch.setattr(build_module, "_run", run)
    build(conn, lake, full=True)  # the build lock was let go
    assert mart_rows(conn) == before


def test_a_new_feed_day_rebuilds_only_its_hours(lake, conn):
    simulate(6, 1, dt.date(2025, 3, 1), 5, lake.inbox)
    ingest(lake)
    build(conn, lake)
    simulate(6, 1, dt.date(2025, 3, 2), 5, lake.inbox)
    ingest(lake)
    before = conn.execute("SELECT max(utc_hour) FROM marts.hourly_plays").fetchone()[0]
    build(conn, lake)
    ranges = conn.execute("SELECT min(utc_hour), max(utc_hour) FROM marts.hourly_plays").fetchone()
    assert ranges[0] < datetime(2025, 3, 2, tzinfo=UTC) <= ranges[1]
    assert ranges[1] > before


def test_the_partitioned_marts_have_statistics_of_their_own_after_a_first_build_and_once_they_double(lake, conn):
    """Autovacuum keeps only the partitions' statistics: the build takes the whole tables' once they
    are missing (a lake's first build) or the partitions hold twice the rows, not on every day."""
    parents = (
        "SELECT relname, reltuples FROM pg_class WHERE relnamespace = 'marts'::regnamespace AND relkind = 'p'"
        " ORDER BY 1"
    )
    simulate(6, 2, dt.date(2025, 3, 1), 5, lake.inbox)
    ingest(lake)
    build(conn, lake)
    first = dict(conn.execute(parents).fetchall())
    assert len(first) == 7 and all(rows >= 0 for rows in first.values()), first
    assert first["hourly_plays"] > 0
    facts = conn.execute("SELECT count(*) FROM marts.hourly_plays").fetchone()[0]
    assert conn.execute(
        "SELECT count(*) FROM pg_stats WHERE schemaname = 'marts' AND tablename = 'hourly_plays'"
    ).fetchone()[0]  # column statistics of the whole table
    # Twice the rows in the partitions (their own statistics, as autovacuum takes them): taken again.
    conn.execute("ANALYZE marts.hourly_plays_p0")
    simulate(6, 1, dt.date(2025, 3, 3), 5, lake.inbox)
    ingest(lake)
    build(conn, lake)
    assert dict(conn.execute(parents).fetchall())["hourly_plays"] == first["hourly_plays"]  # a day more: not yet
    conn.execute("UPDATE pg_class SET reltuples = %s WHERE oid = 'marts.hourly_plays'::regclass", (facts // 4,))
    simulate(6, 1, dt.date(2025, 3, 4), 5, lake.inbox)
    ingest(lake)
    build(conn, lake)
    assert dict(conn.execute(parents).fetchall())["hourly_plays"] > facts // 4


def test_rows_each_build_updates_have_room_on_their_page(lake, conn):
    """The listeners and their monthly totals are updated in place by every build: their pages keep
    half their space free (HOT updates), also in the new partitions of a full build."""
    simulate(4, 1, dt.date(2025, 3, 1), 5, lake.inbox)
    ingest(lake)
    build(conn, lake, full=True)
    options = conn.execute(
        "SELECT c.oid::regclass::text, c.reloptions FROM pg_class c"
        " WHERE c.oid = 'marts.listeners'::regclass"
        " OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'marts.listener_months'::regclass)"
    ).fetchall()
    assert len(options) == 1 + min(build_module.part_count(), 4)
    assert all(reloptions == ["fillfactor=50"] for _, reloptions in options), options


def feed_play(listener: str, ended_at: datetime, track: str) -> dict:
    return {"listener": listener, "ended_at": ended_at, "ms": 90000, "track_name": track, "artist_name": "X",
            "track_uri": f"spotify:track:{track}"}  # fmt: skip


def test_feed_plays_in_hours_already_built_rebuild_those_hours_once(lake, conn, plays_file):
    """A feed file with plays in hours built before, for a listener whose zone splits a UTC hour
    across local midnight (+5:30): those hours are rebuilt, nothing is counted twice."""
    at = lambda hour, minute: datetime(2025, 3, 1, hour, minute, tzinfo=UTC)  # noqa: E731
    first = [feed_play("asha", at(18, 10), "a"), feed_play("ben", at(9, 0), "b"), feed_play("ben", at(12, 0), "d")]
    file_id = plays_file("simulated", first, source="feed", kind="feed")
    conn.execute(
        "INSERT INTO curated.feed_users (listener, country, continent, subscription_type, file_id)"
        " VALUES ('asha', 'IN', 'AS', 'FREE', %(f)s), ('ben', 'SE', 'EU', 'PREMIUM', %(f)s)",
        {"f": file_id},
    )
    build(conn, lake)
    assert set_timezone(conn, "asha", "Asia/Kolkata")
    assert build(conn, lake).listeners == ["asha"]
    # 18:10 UTC is 23:40 in Kolkata, 18:40 UTC is 00:10 the next day.
    plays_file("simulated", [feed_play("asha", at(18, 10), "a"), feed_play("asha", at(18, 40), "c"),
                             feed_play("ben", at(9, 30), "b")], source="feed", kind="feed")  # fmt: skip
    assert build(conn, lake).listeners == ["asha", "ben"]
    days = conn.execute(
        "SELECT listener, local_date, sum(plays)::int FROM marts.hourly_plays GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    assert days == [("asha", dt.date(2025, 3, 1), 2), ("asha", dt.date(2025, 3, 2), 1), ("ben", dt.date(2025, 3, 1), 3)]
    months = conn.execute("SELECT listener, month, music_plays FROM marts.listener_months ORDER BY 1").fetchall()
    assert months == [("asha", dt.date(2025, 3, 1), 3), ("ben", dt.date(2025, 3, 1), 3)]
    # Rows of the rebuilt hours carry this build's number; ben's noon, not rebuilt, keeps an older one.
    rebuilt = conn.execute(
        "SELECT listener, extract(hour FROM utc_hour)::int,"
        " bool_and(build_id = (SELECT max(build_id) FROM marts.last_build))"
        " FROM marts.hourly_plays GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    assert rebuilt == [("asha", 18, True), ("ben", 9, True), ("ben", 12, False)]
    # The hours built for each listener end after their last fact row: later hours need no delete.
    built = conn.execute("SELECT listener, built_until FROM marts.listeners ORDER BY 1").fetchall()
    assert built == [("asha", at(19, 0)), ("ben", at(13, 0))]
    last = conn.execute("SELECT listener, whole, from_date, to_date FROM marts.last_build ORDER BY 1").fetchall()
    assert last == [("asha", False, dt.date(2025, 3, 1), dt.date(2025, 3, 2)),
                    ("ben", False, dt.date(2025, 3, 1), dt.date(2025, 3, 1))]  # fmt: skip
    incremental = mart_rows(conn)
    build(conn, lake, full=True)
    assert mart_rows(conn) == incremental


def test_utc_hours_do_not_depend_on_the_servers_zone(lake, conn, plays_file, monkeypatch):
    """On a server set to a half-hour zone (India), a play at 00:10 UTC on New Year's Day stays in
    the UTC hour 00:00 of the new year (cut in the session's zone it would be 23:30 the day before,
    outside Spotify's UTC year), in incremental and full builds."""
    monkeypatch.setenv("PGTZ", "Asia/Kolkata")  # every session the build opens
    conn.execute("SET TIME ZONE 'Asia/Kolkata'")
    new_year = datetime(2025, 1, 1, tzinfo=UTC)
    file_id = plays_file("simulated", [feed_play("ben", new_year + dt.timedelta(minutes=10), "a"),
                                       feed_play("ben", new_year + dt.timedelta(hours=5, minutes=40), "b")],
                         source="feed", kind="feed")  # fmt: skip
    conn.execute(
        "INSERT INTO curated.feed_users (listener, country, continent, subscription_type, file_id)"
        " VALUES ('ben', 'SE', 'EU', 'PREMIUM', %s)",
        (file_id,),
    )
    hours = "SELECT utc_hour, local_hour FROM marts.hourly_plays ORDER BY 1"
    for full in (False, True):
        build(conn, lake, full=full)
        assert conn.execute(hours).fetchall() == [(new_year, 0), (new_year + dt.timedelta(hours=5), 5)]
        built_until = conn.execute("SELECT built_until FROM marts.listeners").fetchone()[0]
        assert built_until == new_year + dt.timedelta(hours=6)


def test_a_build_does_not_wait_for_vacuum_to_summarize_new_blocks(lake, conn, database_url):
    """VACUUM's lock on the fact or the plays (autovacuum after a full build, say): the build skips
    summarizing their new blocks at once instead of waiting, and its checks still read its rows."""
    simulate(6, 1, dt.date(2025, 3, 1), 5, lake.inbox)
    ingest(lake)
    build(conn, lake, full=True)
    simulate(6, 1, dt.date(2025, 3, 2), 5, lake.inbox)
    ingest(lake)
    partition = conn.execute("SELECT inhrelid::regclass::text FROM pg_inherits"
                             " WHERE inhparent = 'marts.hourly_plays'::regclass LIMIT 1").fetchone()[0]  # fmt: skip
    with psycopg.connect(database_url, autocommit=False) as vacuum:
        vacuum.execute(f"LOCK TABLE curated.play_rows, {partition} IN SHARE UPDATE EXCLUSIVE MODE")  # VACUUM's lock
        conn.execute("SET lock_timeout = '10s'")  # a build that waited would fail here, not hang
        started = time.perf_counter()
        result = build(conn, lake)
        assert time.perf_counter() - started < 5
        summarized = conn.execute("SELECT marts.summarize_new_blocks('curated.play_rows_file_time_brin')").fetchone()
        assert summarized == (False,)
    assert len(result.listeners) == 6
    assert conn.execute("SELECT marts.summarize_new_blocks('curated.play_rows_file_time_brin')").fetchone() == (True,)
    days = conn.execute("SELECT count(DISTINCT local_date) FROM marts.hourly_plays").fetchone()[0]
    assert days == 2


def test_nothing_new_builds_nothing(lake, conn, plays_file):
    plays_file("zed", [{"ended_at": datetime(2024, 5, 1, 12, tzinfo=UTC), "ms": 60000, "track_name": "A",
                        "artist_name": "X", "track_uri": "spotify:track:a"}])  # fmt: skip
    assert build(conn, lake).listeners == ["zed"]
    assert build(conn, lake).listeners == []


def test_a_new_zone_rebuilds_that_listener(lake, conn, plays_file):
    plays_file("zed", [{"ended_at": datetime(2024, 12, 31, 23, 30, tzinfo=UTC), "ms": 60000, "track_name": "A",
                        "artist_name": "X", "track_uri": "spotify:track:a"}])  # fmt: skip
    plays_file("ann", [{"ended_at": datetime(2024, 6, 1, tzinfo=UTC), "ms": 60000, "track_name": "B",
                        "artist_name": "Y", "track_uri": "spotify:track:b"}])  # fmt: skip
    build(conn, lake)
    assert set_timezone(conn, "zed", "Europe/Stockholm")
    assert not set_timezone(conn, "zed", "Europe/Stockholm")  # unchanged: nothing to rebuild
    assert build(conn, lake).listeners == ["zed"]
    row = conn.execute("SELECT local_date, local_hour FROM marts.hourly_plays WHERE listener = 'zed'").fetchone()
    assert row == (dt.date(2025, 1, 1), 0)
    zones = {entry["listener"]: entry["timezone"] for entry in listeners(conn)}
    assert zones == {"zed": "Europe/Stockholm", "ann": "UTC"}


def test_unknown_zone_or_listener_is_refused(lake, conn, plays_file):
    plays_file("zed", [])
    with pytest.raises(ValueError, match="unknown time zone"):
        set_timezone(conn, "zed", "Mars/Olympus")
    with pytest.raises(ValueError, match="unknown listener"):
        set_timezone(conn, "nobody", "UTC")


def test_a_failed_check_fails_loudly(lake, conn, plays_file):
    plays_file("zed", [{"ended_at": datetime(2024, 5, 1, 12, tzinfo=UTC), "ms": 60000, "track_name": "A",
                        "artist_name": "X", "track_uri": "spotify:track:a"}])  # fmt: skip
    build(conn, lake)
    run_checks(lake)
    conn.execute("UPDATE marts.listener_months SET music_ms = music_ms + 1")
    with pytest.raises(CheckFailed, match="years_match_curated"):
        run_checks(lake)
    conn.execute("UPDATE marts.hourly_plays SET ms_played = -1")
    with pytest.raises(CheckFailed, match="facts_not_negative"):
        run_checks(lake)


def test_a_top_list_breaking_its_rules_fails_the_check(lake, conn, plays_file):
    plays_file("zed", [{"ended_at": datetime(2024, 5, 1, 12, tzinfo=UTC), "ms": 60000, "track_name": "A",
                        "artist_name": "X", "track_uri": "spotify:track:a"}])  # fmt: skip
    build(conn, lake)
    # The artists' view gives every entry twice: rank 1 twice, and a list that does not end at its length.
    conn.execute("ALTER VIEW marts.top_artists RENAME TO top_artists_once")
    conn.execute(
        "CREATE VIEW marts.top_artists AS"
        " SELECT * FROM marts.top_artists_once UNION ALL SELECT * FROM marts.top_artists_once"
    )
    with pytest.raises(CheckFailed, match="top_lists: no_duplicates, top_lists: ranks_contiguous"):
        run_checks(lake)


def test_checks_after_a_feed_day_look_at_the_rows_that_build_wrote(lake, conn, plays_file):
    at = lambda hour: datetime(2025, 3, 1, hour, tzinfo=UTC)  # noqa: E731
    earlier = datetime(2025, 2, 27, 9, tzinfo=UTC)  # a day the last build does not touch
    plays_file("simulated", [feed_play("ben", earlier, "b")], source="feed", kind="feed")
    build(conn, lake)
    plays_file("simulated", [feed_play("ben", at(12), "c")], source="feed", kind="feed")
    build(conn, lake)
    run_checks(lake)
    # A row of an earlier build: not what the last build wrote, so not what its checks read (the
    # insights' daily sums re-sum every date the build touched, so it lies on another date).
    conn.execute("UPDATE marts.hourly_plays SET ms_played = -1 WHERE utc_hour = %s", (earlier,))
    run_checks(lake)
    conn.execute("UPDATE marts.hourly_plays SET ms_played = ms_played + 1 WHERE utc_hour = %s", (at(12),))
    with pytest.raises(CheckFailed, match="rebuilt_hours_match_curated"):
        run_checks(lake)
    conn.execute("UPDATE marts.hourly_plays SET ms_played = -1 WHERE utc_hour = %s", (at(12),))
    with pytest.raises(CheckFailed, match="facts_not_negative"):
        run_checks(lake)


def test_mart_objects_are_documented_and_readable_by_lake_reader(lake, conn):
    build(conn, lake, full=True)  # its partitions are storage: the tables above them are what people read
    undocumented = conn.execute(
        "SELECT c.relname, a.attname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        " WHERE n.nspname = 'marts' AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition"
        " AND (obj_description(c.oid) IS NULL OR col_description(c.oid, a.attnum) IS NULL)"
    ).fetchall()
    assert undocumented == []
    unreadable = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'marts' AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition"
        " AND NOT has_table_privilege('lake_reader', c.oid, 'SELECT')"
    ).fetchall()
    assert unreadable == []
