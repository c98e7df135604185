"""Ingestion against a real Postgres: every play once, nothing lost, bad input quarantined."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pyarrow.dataset as ds
import pytest

from wrapped_lake import fixtures
from wrapped_lake.ingest import discover, ingest
from wrapped_lake.readers.plays import BEFORE_SPOTIFY, IN_THE_FUTURE, LONGER_THAN_A_DAY
from wrapped_lake.zones.raw import sha256


@pytest.fixture(scope="module")
def history():
    return fixtures.full_history("alice", plays=1500, per_file=400)


def drop(lake, listener: str, files: dict[str, bytes]) -> None:
    fixtures.write_files(lake.inbox / listener, files)


def state(conn) -> tuple:
    """Everything a rerun must reproduce: the plays (all columns but file ids) and the registry verdicts."""
    plays = conn.execute(
        "SELECT count(*), md5(string_agg(row(play_key, listener, source, media, ended_at, ms_played, "
        "track_name, artist_name, show_name, episode_name, is_video)::text, ',' ORDER BY play_key)) "
        "FROM curated.plays"
    ).fetchone()
    files = conn.execute("SELECT listener, sha256, status, kind FROM ingest.files ORDER BY 1, 2").fetchall()
    return plays, files


def totals_by_year(conn, listener: str) -> dict[int, int]:
    rows = conn.execute(
        "SELECT extract(year FROM ended_at AT TIME ZONE 'UTC')::int, sum(ms_played)::bigint "
        "FROM curated.plays WHERE listener = %s GROUP BY 1",
        (listener,),
    ).fetchall()
    return dict(rows)


def test_every_real_play_lands_once(lake, conn, history):
    drop(lake, "alice", history.files)
    ingest(lake)
    count = conn.execute("SELECT count(*) FROM curated.plays WHERE listener = 'alice'").fetchone()[0]
    assert count == len(history.truth.plays)
    assert totals_by_year(conn, "alice") == history.truth.ms_by_year()
    media = dict(conn.execute("SELECT media, count(*) FROM curated.plays GROUP BY 1").fetchall())
    assert media == history.truth.count_by_media()


def test_account_rows_beyond_the_extended_history_are_kept_and_the_rest_recognised(lake, conn, history):
    drop(lake, "alice", history.files)
    reports = ingest(lake)
    beyond = [p for p in history.truth.plays if p.ts >= datetime(2025, 6, 1, tzinfo=UTC)]
    account = conn.execute("SELECT count(*) FROM curated.plays WHERE source = 'account'").fetchone()[0]
    assert account == len(beyond) > 0
    overlap = sum(r.rows.overlap + r.rows.replaced for r in reports)
    recent = [
        p
        for p in history.truth.plays
        if datetime(2024, 7, 1, tzinfo=UTC) <= p.ts < datetime(2025, 6, 1, tzinfo=UTC)
        and p.media in ("music", "podcast")
        and not p.video
    ]
    assert overlap == len(recent)


def test_order_of_packages_does_not_matter(lake, conn, history):
    account_first = {k: v for k, v in history.files.items() if k.startswith("account/")}
    drop(lake, "alice", account_first)
    first = ingest(lake)
    assert sum(r.rows.loaded for r in first) > 0
    drop(lake, "alice", {k: v for k, v in history.files.items() if k not in account_first})
    second = ingest(lake)
    assert sum(r.rows.replaced for r in second) > 0
    count = conn.execute("SELECT count(*) FROM curated.plays").fetchone()[0]
    assert count == len(history.truth.plays)
    assert totals_by_year(conn, "alice") == history.truth.ms_by_year()
    # Replaced account rows made partitions dirty: the rebuild leaves Parquet equal to Postgres.
    assert ds.dataset(lake.curated / "plays", partitioning="hive").count_rows() == count
    assert conn.execute("SELECT count(*) FROM ingest.dirty_partitions").fetchone()[0] == 0


def test_ingesting_everything_twice_changes_nothing(lake, conn, history):
    drop(lake, "alice", history.files)
    ingest(lake)
    before = state(conn)
    drop(lake, "alice", history.files)
    again = ingest(lake)
    assert {r.status for r in again} == {"duplicate"}
    assert state(conn) == before


def test_a_re_download_with_different_zip_bytes_adds_nothing(lake, conn, history):
    drop(lake, "alice", history.files)
    ingest(lake)
    before = state(conn)[0]
    entries = fixtures.extended_files(history.truth.plays[:300], per_file=100)
    drop(lake, "alice", {"my_spotify_data (2).zip": fixtures.zip_bytes(entries)})
    reports = ingest(lake)
    assert sum(r.rows.loaded for r in reports) == 0
    assert state(conn)[0] == before


def test_files_leave_the_inbox_and_their_exact_bytes_are_in_raw(lake, conn, history):
    drop(lake, "alice", history.files)
    ingest(lake)
    assert discover(lake) == []
    for name, data in history.files.items():
        raw = list(lake.raw.glob(f"ingest_date=*/*/{sha256(data)}.zip"))
        assert len(raw) == 1 and raw[0].read_bytes() == data, name
    rows = conn.execute("SELECT raw_path FROM ingest.files WHERE kind = 'zip'").fetchall()
    assert all((lake.root / path).exists() for (path,) in rows)


def test_curated_parquet_holds_the_same_rows_as_postgres_without_personal_data(lake, conn, history):
    drop(lake, "alice", history.files)
    ingest(lake)
    dataset = ds.dataset(lake.curated / "plays", format="parquet", partitioning="hive")
    table = dataset.to_table()
    count, total = conn.execute("SELECT count(*), sum(ms_played)::bigint FROM curated.plays").fetchone()
    assert table.num_rows == count
    assert sum(table["ms_played"].to_pylist()) == total
    assert {"ip_addr", "ip_addr_decrypted", "user_agent_decrypted", "username"}.isdisjoint(table.column_names)
    assert (lake.curated / "plays" / "listener=alice" / "year=2016").is_dir()
    assert (lake.curated / "library_items" / "listener=alice" / "part-0.parquet").exists()


def test_no_personal_identifier_reaches_any_curated_table(lake, conn, history):
    drop(lake, "alice", history.files)
    ingest(lake)
    columns = {
        c for (c,) in conn.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = 'curated'")
    }
    assert not columns & {"ip_addr", "ip_addr_decrypted", "user_agent_decrypted", "username", "email"}
    leaked = conn.execute(
        "SELECT count(*) FROM curated.plays WHERE platform LIKE '%%192.0.2.10%%' "
        "OR source_file LIKE '%%synthetic-user%%'"
    ).fetchone()[0]
    assert leaked == 0


def test_bad_inputs_are_quarantined_with_reasons_and_good_files_still_load(lake, conn, history):
    bad = fixtures.bad_inputs()
    drop(lake, "bob", bad)
    drop(lake, "alice", history.files)
    reports = {r.file: r for r in ingest(lake)}
    expected = {
        "truncated.json": "truncated JSON",
        "latin1.json": "not UTF-8",
        "not_an_export.json": "not a Spotify export",
        "empty.json": "empty file",
        "broken.zip": "broken ZIP",
        "escape.zip": "tries to escape",
        "absolute.zip": "tries to escape",
        "bomb.zip": "zip bomb",
        "damaged.zip!/Spotify Extended Streaming History/Streaming_History_Audio_2024.json": "damaged ZIP entry",
        "partly_bad.zip!/Spotify Account Data/StreamingHistory_music_1.json": "truncated JSON",
    }
    for name, reason in expected.items():
        assert reports[name].status == "quarantined", name
        assert reason in reports[name].reason, name
    sidecars = {
        orjson.loads(p.read_bytes())["file"]: orjson.loads(p.read_bytes())
        for p in (lake.quarantine / "bob").glob("*.error.json")
    }
    assert set(sidecars) == set(expected)
    assert all(s["reason"] for s in sidecars.values())
    assert reports["partly_bad.zip!/Spotify Account Data/StreamingHistory_music_0.json"].status == "loaded"
    assert reports["bad_rows.json"].rejected == {"unparseable timestamp": 2, "missing timestamp": 1}
    assert conn.execute("SELECT count(*) FROM curated.plays WHERE listener = 'bob'").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM curated.plays WHERE listener = 'alice'").fetchone()[0] == len(
        history.truth.plays
    )
    registry = dict(
        conn.execute("SELECT name, rejected_reasons FROM ingest.files WHERE name = 'bad_rows.json'").fetchall()
    )
    assert registry["bad_rows.json"] == {"unparseable timestamp": 2, "missing timestamp": 1}
    assert discover(lake) == []


def test_a_quarantined_file_dropped_again_is_retried(lake, conn):
    drop(lake, "bob", {"empty.json": b""})
    ingest(lake)
    drop(lake, "bob", {"empty.json": b""})
    (report,) = ingest(lake)
    assert report.status == "quarantined"
    assert conn.execute("SELECT count(*) FROM ingest.files").fetchone()[0] == 1


def test_old_mixed_history_podcasts_are_recognised_from_known_shows(lake, conn):
    play = fixtures.Play(datetime(2019, 3, 3, 10, 0, tzinfo=UTC), 60_000, "podcast", show="Show 1", episode="Ep 9")
    files = fixtures.account_files([play], [play], mixed=True)
    drop(lake, "carol", {"my_spotify_data.zip": fixtures.zip_bytes(files)})
    ingest(lake)
    media, show, artist = conn.execute(
        "SELECT media, show_name, artist_name FROM curated.plays WHERE listener = 'carol'"
    ).fetchone()
    assert (media, show, artist) == ("podcast", "Show 1", None)


def test_listener_comes_from_the_inbox_folder_or_the_option(lake, conn, tmp_path):
    row = [{"endTime": "2024-02-02 10:00", "artistName": "A", "trackName": "T", "msPlayed": 5000}]
    (lake.inbox).mkdir(parents=True)
    (lake.inbox / "StreamingHistory_music_0.json").write_bytes(orjson.dumps(row))
    outside = tmp_path / "elsewhere" / "StreamingHistory_music_0.json"
    outside.parent.mkdir()
    outside.write_bytes(orjson.dumps(row + row))
    ingest(lake)
    ingest(lake, [str(outside)], listener="dave")
    listeners = dict(conn.execute("SELECT listener, count(*) FROM curated.plays GROUP BY 1").fetchall())
    assert listeners == {"default": 1, "dave": 1}
    assert outside.exists()  # files outside the inbox are read, never moved


def _ingest_in_subprocess(lake, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "LAKE_ROOT": str(lake.root), "LAKE_DATABASE_URL": lake.database_url}
    if crash_at:
        env["WRAPPED_LAKE_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "wrapped_lake.cli", "ingest"], env=env, capture_output=True, timeout=300
    )


def _wipe(lake, conn) -> None:
    conn.execute(
        "TRUNCATE ingest.files, ingest.file_spans, ingest.dirty_partitions, curated.play_rows, curated.library_items, "
        "curated.playlist_items, curated.search_queries"
    )
    shutil.rmtree(lake.root)


@pytest.mark.slow
@pytest.mark.parametrize("crash_at", ["after_raw", "before_commit", "before_release"])
def test_a_crash_at_any_point_then_a_rerun_ends_as_an_uninterrupted_run(lake, conn, history, crash_at):
    drop(lake, "alice", history.files)
    assert _ingest_in_subprocess(lake).returncode == 0
    uninterrupted = state(conn)
    parquet_rows = ds.dataset(lake.curated / "plays", partitioning="hive").count_rows()
    _wipe(lake, conn)

    drop(lake, "alice", history.files)
    crashed = _ingest_in_subprocess(lake, crash_at)
    assert crashed.returncode == -9  # killed like kill -9
    assert _ingest_in_subprocess(lake).returncode == 0
    assert state(conn) == uninterrupted
    assert uninterrupted[0][0] == len(history.truth.plays)
    assert ds.dataset(lake.curated / "plays", partitioning="hive").count_rows() == parquet_rows
    assert discover(lake) == []


def test_two_ingests_at_once_never_load_a_file_twice(lake, conn, history):
    drop(lake, "alice", history.files)
    env = {**os.environ, "LAKE_ROOT": str(lake.root), "LAKE_DATABASE_URL": lake.database_url}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "wrapped_lake.cli", "ingest"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    lines = [orjson.loads(line) for out, _err in outputs for line in out.splitlines()]
    loaded = [line["file"] for line in lines if line["status"] == "loaded"]
    assert len(loaded) == len(set(loaded))
    assert conn.execute("SELECT count(*) FROM curated.plays").fetchone()[0] == len(history.truth.plays)
    duplicates = conn.execute(
        "SELECT count(*) FROM (SELECT listener, sha256 FROM ingest.files GROUP BY 1, 2 HAVING count(*) > 1) d"
    ).fetchone()[0]
    assert duplicates == 0


def test_ingest_cli_prints_one_json_object_per_file(lake, history):
    drop(lake, "alice", {"account/my_spotify_data.zip": history.files["account/my_spotify_data.zip"]})
    result = _ingest_in_subprocess(lake)
    lines = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0 and len(lines) == 8  # one per ZIP entry
    assert {tuple(sorted(line)) for line in lines} == {
        ("file", "kind", "listener", "plays", "reason", "rejected", "rows", "status")
    }
    history_line = next(x for x in lines if x["file"].endswith("StreamingHistory_music_0.json"))
    assert history_line["status"] == "loaded" and history_line["rows"]["loaded"] > 0
    assert Path(lake.root / "inbox" / "alice").is_dir()
    # Not a terminal: no progress bar, only the one-line summary on stderr.
    (summary,) = result.stderr.decode().splitlines()
    plays = sum(x["plays"] for x in lines)
    assert summary.startswith("ingest: 8 files (") and f"{plays:,} plays loaded" in summary, summary
    assert "rows rejected" in summary and summary.endswith(" s")


def test_a_stale_append_never_duplicates_rows_a_publish_already_wrote(lake, conn, history):
    from wrapped_lake.zones import parquet

    drop(lake, "alice", {"my_spotify_data.zip": history.files["my_spotify_data.zip"]})
    ingest(lake)
    rows = ds.dataset(lake.curated / "plays", partitioning="hive").to_table()
    first = rows["ended_at"][0].as_py()
    table = rows.slice(0, 1).drop_columns(["listener", "year", "month"])
    # A generation that is no longer dirty: a publish already wrote this partition from Postgres.
    stale = [((first.year, first.month, 0), 123_456)]
    parquet.append_fragments(conn, lake.curated, "plays", "alice", 999_999, table, stale)
    assert not list(lake.curated.rglob("part-999999.parquet"))
    assert ds.dataset(lake.curated / "plays", partitioning="hive").count_rows() == rows.num_rows


def test_a_nul_character_in_a_name_does_not_fail_the_file(lake, conn):
    rows = [
        {"ts": "2024-01-01T10:00:00Z", "ms_played": 1000, "master_metadata_track_name": "Na\u0000me"},
        {"ts": "2024-01-01T10:05:00Z", "ms_played": 2000, "master_metadata_track_name": "Other"},
    ]
    drop(lake, "zed", {"Streaming_History_Audio_2024.json": orjson.dumps(rows)})
    (report,) = ingest(lake)
    assert report.status == "loaded" and report.rows.loaded == 2
    names = [n for (n,) in conn.execute("SELECT track_name FROM curated.plays ORDER BY ended_at")]
    assert names == ["Name", "Other"]


def test_an_absurd_ms_played_is_a_rejected_row_not_a_failed_file(lake, conn):
    rows = [
        {"ts": "2024-01-01T10:00:00Z", "ms_played": 9_000_000_000_000_000_000, "master_metadata_track_name": "A"},
        {"ts": "2024-01-01T10:05:00Z", "ms_played": 3 * 24 * 3600 * 1000, "master_metadata_track_name": "B"},
        {"ts": "2024-01-01T10:06:00Z", "ms_played": 2_147_483_653, "master_metadata_track_name": "C"},
        {"ts": "2024-01-01T10:07:00Z", "ms_played": 2**63 + 5, "master_metadata_track_name": "D"},
        {"ts": "2024-01-01T10:08:00Z", "ms_played": 23 * 3600 * 1000, "master_metadata_track_name": "E"},
    ]
    drop(lake, "zed", {"Streaming_History_Audio_2024.json": orjson.dumps(rows)})
    drop(lake, "zed", {"StreamingHistory_music_0.json": orjson.dumps(
        [{"endTime": "2024-01-02 10:00", "artistName": "F", "trackName": "F", "msPlayed": 2**63 + 5}]
    )})  # fmt: skip
    extended, account = ingest(lake)
    assert extended.status == "loaded" and extended.rows.loaded == 1
    assert extended.rejected == {LONGER_THAN_A_DAY: 3, "missing or non-numeric ms_played": 1}
    assert account.status == "loaded" and account.rejected == {"missing or non-numeric ms_played": 1}
    assert conn.execute("SELECT track_name, ms_played FROM curated.plays").fetchall() == [("E", 82_800_000)]


def test_plays_dated_outside_spotifys_life_are_rejected_rows(lake, conn):
    soon = [(datetime.now(UTC) + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%SZ") for h in (12, 36)]
    stamps = ["0001-06-01T10:00:00Z", "2005-12-31T23:59:59Z", "2006-01-01T00:00:00Z", "2099-01-01T10:00:00Z"]
    rows = [
        {"ts": ts, "ms_played": 60_000, "master_metadata_track_name": ts}
        for ts in [*stamps, "9999-12-31T10:00:00Z", *soon]
    ]
    drop(lake, "zed", {"Streaming_History_Audio_2024.json": orjson.dumps(rows)})
    (report,) = ingest(lake)
    assert report.rejected == {BEFORE_SPOTIFY: 2, IN_THE_FUTURE: 3}
    assert report.rows.loaded == 2


def test_a_reader_error_nobody_foresaw_quarantines_that_file_and_the_run_goes_on(lake, conn, monkeypatch):
    from wrapped_lake.ingest import prepare

    def read_export(name, data):
        if "Audio_2023" in name:
            raise KeyError("a bug in a reader")
        return prepare.read_export.__wrapped__(name, data)

    read_export.__wrapped__ = prepare.read_export
    monkeypatch.setattr(prepare, "read_export", read_export)
    rows = [{"ts": "2024-01-01T10:00:00Z", "ms_played": 60_000, "master_metadata_track_name": "A"}]
    drop(
        lake,
        "zed",
        {"Streaming_History_Audio_2023.json": b"[]", "Streaming_History_Audio_2024.json": orjson.dumps(rows)},
    )
    broken, fine = ingest(lake)
    assert broken.status == "quarantined" and "KeyError" in broken.reason
    assert fine.status == "loaded" and fine.rows.loaded == 1
    assert list(lake.quarantine.rglob("*Audio_2023.json.error.json"))
