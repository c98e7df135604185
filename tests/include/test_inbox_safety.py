"""Whatever lands in the inbox: nothing lost, nothing leaked, nothing blocked (issue 8)."""

from __future__ import annotations

import datetime as dt
import gzip
import importlib
import io
import os
import struct
import subprocess
import sys
import threading
import time
import unicodedata
import warnings
import zipfile
import zlib

import orjson
import psycopg
import pytest
from v1_feed import v1_event, v1_file

from wrapped_lake import cli, fixtures
from wrapped_lake.ingest import discover, ingest
from wrapped_lake.simulate import simulate
from wrapped_lake.zones import parquet

START = dt.datetime(2024, 3, 1, 10, 0, tzinfo=dt.UTC)
discover_module = importlib.import_module("wrapped_lake.ingest.discover")  # the package exports the function


def history(plays: int, offset: int = 0) -> bytes:
    """An extended-history file with `plays` distinct plays."""
    rows = [
        {
            "ts": (START + dt.timedelta(minutes=5 * (i + offset))).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "ms_played": 60_000 + i,
            "master_metadata_track_name": f"Track {i + offset}",
            "master_metadata_album_artist_name": "Artist",
            "spotify_track_uri": f"spotify:track:{i + offset:022d}",
        }
        for i in range(plays)
    ]
    return orjson.dumps(rows)


def drop(lake, listener: str, files: dict[str, bytes]) -> None:
    fixtures.write_files(lake.inbox / listener, files)


def plays_of(conn, listener: str) -> int:
    return conn.execute("SELECT count(*) FROM curated.plays WHERE listener = %s", (listener,)).fetchone()[0]


def zip_of(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names: that is the point here
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in entries:
                out.writestr(name, data)
    return buffer.getvalue()


def patch_entry(data: bytes, name: str, *, flags: int | None = None, method: int | None = None) -> bytes:
    """Rewrite an entry's flag bits or compression method in its local and central headers."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, flag_at, method_at, name_at in ((b"PK\x01\x02", 8, 10, 46), (b"PK\x03\x04", 6, 8, 30)):
        at = out.find(signature)
        while at != -1:
            if out[at + name_at : at + name_at + len(encoded)] == encoded:
                if flags is not None:
                    out[at + flag_at : at + flag_at + 2] = struct.pack("<H", flags)
                if method is not None:
                    out[at + method_at : at + method_at + 2] = struct.pack("<H", method)
            at = out.find(signature, at + 1)
    return bytes(out)


# The child's own high-water mark (VmHWM counts from its exec; ru_maxrss would include what it
# shared with this pytest process before the exec).
PEAK = 'peak = 1024 * int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])'


def backdate(*paths) -> None:
    past = time.time() - 3600
    for path in paths:
        os.utime(path, (past, past))


# Files still being written ------------------------------------------------------------------


def test_a_file_still_growing_is_left_for_a_later_scan(lake, conn):
    target = lake.inbox / "alice" / "Streaming_History_Audio_2024.json"
    target.parent.mkdir(parents=True)
    data = history(400)
    target.write_bytes(data[:1000])
    stop = threading.Event()

    def copy_slowly():
        written = 1000
        while written < len(data) and not stop.is_set():
            time.sleep(0.3)
            with target.open("ab") as out:
                out.write(data[written : written + 500])
            written += 500

    writer = threading.Thread(target=copy_slowly)
    writer.start()
    try:
        assert discover(lake) == []  # it changed between the two looks
    finally:
        stop.set()
        writer.join()
    target.write_bytes(data)
    (report,) = ingest(lake)  # now it holds still for the settle time
    assert report.status == "loaded"
    assert plays_of(conn, "alice") == 400


def test_a_broken_file_that_changed_recently_waits_in_the_inbox(lake, conn):
    target = lake.inbox / "alice" / "Streaming_History_Audio_2024.json"
    target.parent.mkdir(parents=True)
    data = history(300)
    target.write_bytes(data[: len(data) // 2])  # the copy paused halfway
    (report,) = ingest(lake)
    assert report.status == "waiting" and "truncated JSON" in report.reason and "next run" in report.reason
    assert target.exists()
    assert not lake.quarantine.exists() or not any(lake.quarantine.rglob("*"))
    assert not lake.raw.exists() or not any(p.is_file() for p in lake.raw.rglob("*"))
    assert conn.execute("SELECT count(*) FROM ingest.files").fetchone()[0] == 0
    target.write_bytes(data)  # the copy finished
    (report,) = ingest(lake)
    assert report.status == "loaded" and plays_of(conn, "alice") == 300


def test_an_old_broken_file_is_quarantined(lake, conn):
    drop(lake, "alice", {"Streaming_History_Audio_2024.json": history(10)[:-30]})
    (report,) = ingest(lake)
    assert report.status == "quarantined"


def test_paths_given_explicitly_are_taken_at_once(lake, conn, monkeypatch):
    monkeypatch.setattr(discover_module, "SETTLE_SECONDS", 60.0)  # an inbox scan would wait a minute
    target = lake.inbox / "alice" / "Streaming_History_Audio_2024.json"
    target.parent.mkdir(parents=True)
    target.write_bytes(history(20))
    broken = lake.inbox / "alice" / "Streaming_History_Audio_2025.json"
    broken.write_bytes(history(20)[:-10])
    started = time.monotonic()
    reports = {r.file: r for r in ingest(lake, [str(target), str(broken)])}
    assert time.monotonic() - started < 30
    assert reports["Streaming_History_Audio_2024.json"].status == "loaded"
    assert reports["Streaming_History_Audio_2025.json"].status == "quarantined"  # the user said it is complete


def test_simulate_writes_hidden_files_and_renames_them_when_complete(lake, monkeypatch):
    from wrapped_lake.simulate import run

    opened = []
    real = run.ContainerWriter

    def spying(path, *args):
        opened.append(path)
        visible = [item.name for item in discover(lake, [str(lake.inbox)])]
        assert not any(name.endswith(path.name) for name in visible)
        return real(path, *args)

    monkeypatch.setattr(run, "ContainerWriter", spying)
    paths = simulate(6, 1, dt.date(2026, 1, 1), 3, lake.inbox)
    assert opened and all(path.name.startswith(".") for path in opened)
    assert all(path.exists() for path in paths) and not any(path.exists() for path in opened)
    assert {str(p) for p in paths} == {item.path for item in discover(lake, [str(lake.inbox)])}


# ZIPs that used to stop the inbox -------------------------------------------------------------

GOOD = "Spotify Extended Streaming History/Streaming_History_Audio_2024_0.json"
LOCKED = "Spotify Extended Streaming History/Streaming_History_Audio_2024_1.json"
DEFLATE64 = "Spotify Extended Streaming History/Streaming_History_Audio_2024_2.json"


def test_encrypted_and_deflate64_entries_are_quarantined_and_everything_else_loads(lake, conn):
    data = zip_of([(GOOD, history(50)), (LOCKED, history(50, 100)), (DEFLATE64, history(50, 200))])
    data = patch_entry(patch_entry(data, LOCKED, flags=0x1), DEFLATE64, method=9)
    drop(lake, "alice", {"a_my_spotify_data.zip": data, "b_Streaming_History_Audio_2023.json": history(7, 500)})
    reports = {r.file: r for r in ingest(lake)}
    locked, deflate64 = reports[f"a_my_spotify_data.zip!/{LOCKED}"], reports[f"a_my_spotify_data.zip!/{DEFLATE64}"]
    assert locked.status == "quarantined" and LOCKED in locked.reason and "encrypted" in locked.reason
    assert deflate64.status == "quarantined" and DEFLATE64 in deflate64.reason and "Deflate64" in deflate64.reason
    assert reports[f"a_my_spotify_data.zip!/{GOOD}"].status == "loaded"
    assert reports["b_Streaming_History_Audio_2023.json"].status == "loaded"
    assert plays_of(conn, "alice") == 57
    assert discover(lake) == []  # the ZIP left the inbox: later runs do not trip over it


def test_two_entries_with_the_same_name_both_load(lake, conn):
    data = zip_of([(GOOD, history(30)), (GOOD, history(40, 100))])
    drop(lake, "alice", {"my_spotify_data.zip": data})
    reports = ingest(lake)
    assert [r.status for r in reports] == ["loaded", "loaded"]
    assert plays_of(conn, "alice") == 70


def test_a_zip_inside_a_zip_is_read_and_a_third_level_is_refused(lake, conn):
    inner = zip_of([(GOOD, history(25))])
    innermost = zip_of([("deep.zip", zip_of([(GOOD, history(5, 900))]))])
    outer = zip_of([("my_spotify_data/my_spotify_data.zip", inner), ("deeper.zip", innermost)])
    drop(lake, "alice", {"download.zip": outer})
    reports = {r.file: r for r in ingest(lake)}
    assert reports[f"download.zip!/my_spotify_data/my_spotify_data.zip!/{GOOD}"].status == "loaded"
    deep = reports["download.zip!/deeper.zip!/deep.zip"]
    assert deep.status == "quarantined" and "ZIP inside a ZIP inside a ZIP" in deep.reason
    assert plays_of(conn, "alice") == 25


def test_a_zip_entry_lying_about_its_size_is_refused_within_a_memory_cap(tmp_path, lake):
    """A 2 MB ZIP whose entry claims 1 KB but inflates to 2 GiB: measured in a child process."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(1 << 20)
    body = b"".join(deflater.compress(zeros) for _ in range(2048)) + deflater.flush()
    name = b"Streaming_History_Audio_2024.json"
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, len(body), 1024, len(name), 0) + name
    central = (
        struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, 0, len(body), 1024, len(name), 0, 0, 0, 0, 0, 0)
        + name
    )
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(body), 0)
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(local + body + central + end)
    assert bomb.stat().st_size < 3 << 20
    script = (
        "import sys, orjson\n"
        "from wrapped_lake.ingest import ingest\n"
        "from wrapped_lake.platform.config import load_settings\n"
        "reports = ingest(load_settings(), [sys.argv[1]])\n"
        f"{PEAK}\n"
        "print(orjson.dumps({'peak': peak, 'reports': [r.__dict__ for r in reports]}, default=str).decode())\n"
    )
    env = {**os.environ, "LAKE_ROOT": str(lake.root), "LAKE_DATABASE_URL": lake.database_url}
    done = subprocess.run([sys.executable, "-c", script, str(bomb)], env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    result = orjson.loads(done.stdout)
    (report,) = result["reports"]
    assert report["status"] == "quarantined" and "damaged ZIP entry" in report["reason"]
    assert result["peak"] < 600 << 20, f"peak {result['peak'] >> 20} MB"


# Loose files people really have ---------------------------------------------------------------


def test_gzipped_json_is_read(lake, conn):
    drop(lake, "alice", {"Streaming_History_Audio_2024.json.gz": gzip.compress(history(12))})
    (report,) = ingest(lake)
    assert report.status == "loaded" and report.kind == "extended_audio"
    assert plays_of(conn, "alice") == 12


@pytest.mark.parametrize(
    ("name", "data", "fmt"),
    [
        ("export.tar.gz", gzip.compress(b"x" * 600, mtime=0), "tar"),
        ("export.tgz", gzip.compress(b"x" * 600, mtime=0), "tar"),
        ("export.7z", b"7z\xbc\xaf\x27\x1c" + bytes(40), "7-Zip"),
        ("export.rar", b"Rar!\x1a\x07\x01\x00" + bytes(40), "RAR"),
    ],
    ids=["tar.gz", "tgz", "7z", "rar"],  # the same in every process (pytest-xdist compares them)
)
def test_other_archive_formats_are_quarantined_with_what_to_do(lake, conn, name, data, fmt):
    drop(lake, "alice", {name: data})
    (report,) = ingest(lake)
    assert report.status == "quarantined"
    assert f"a {fmt} archive" in report.reason and "drop the folder" in report.reason


def test_macos_metadata_and_hidden_folders_are_ignored_silently(lake, conn):
    data = zip_of(
        [
            (GOOD, history(9)),
            (f"__MACOSX/._{GOOD}", b"\x00\x05\x16\x07 AppleDouble"),
            ("Spotify Extended Streaming History/.DS_Store", b"\x00\x00\x00\x01Bud1"),
        ]
    )
    drop(
        lake,
        "alice",
        {
            "my_spotify_data.zip": data,
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
            "._my_spotify_data.zip": b"\x00\x05\x16\x07",
            ".Trashes/old.json": b"[",
            "__MACOSX/x.json": b"[",
        },
    )
    reports = ingest(lake)
    assert [(r.file, r.status) for r in reports] == [(f"my_spotify_data.zip!/{GOOD}", "loaded")]
    assert not lake.quarantine.exists()


@pytest.mark.parametrize(
    ("name", "doc"),
    [
        ("VoiceInput.json", {"voiceInputs": [{"time": "2024-01-01", "text": "play"}]}),
        ("Marquee.json", [{"artistName": "A", "segment": "Light listeners"}]),
        ("Inferences.json", {"inferences": ["1P_Custom_Audience"]}),
        ("Spotify Account Data/SomethingNew2026.json", {"whatever": True}),
    ],
)
def test_known_account_files_without_a_table_are_raw_only(lake, conn, name, doc):
    drop(lake, "alice", {name: orjson.dumps(doc)})
    (report,) = ingest(lake)
    assert report.status == "raw_only", report.reason


def test_random_bytes_named_avro_are_quarantined(lake, conn):
    drop(lake, "simulated", {"part-00000.avro": os.urandom(2000)})
    (report,) = ingest(lake)
    assert report.status == "quarantined" and "not an Avro" in report.reason


def test_raw_only_bytes_load_when_dropped_again_under_a_known_name(lake, conn):
    data = history(15)
    drop(lake, "alice", {"notes.txt": data})
    (first,) = ingest(lake)
    assert first.status == "raw_only"
    drop(lake, "alice", {"Streaming_History_Audio_2024.json": data})
    (second,) = ingest(lake)
    assert second.status == "loaded" and second.rows.loaded == 15
    drop(lake, "alice", {"again.txt": data})
    (third,) = ingest(lake)
    assert third.status == "duplicate"
    assert plays_of(conn, "alice") == 15


# Links ---------------------------------------------------------------------------------------


def test_symbolic_links_are_refused_and_left_alone(lake, conn, tmp_path):
    secret = tmp_path / "outside" / "Streaming_History_Audio_2024.json"
    secret.parent.mkdir()
    secret.write_bytes(history(5))
    (lake.inbox / "alice").mkdir(parents=True)
    link = lake.inbox / "alice" / "Streaming_History_Audio_2024.json"
    link.symlink_to(secret)
    folder_link = lake.inbox / "alice" / "more"
    folder_link.symlink_to(secret.parent, target_is_directory=True)
    reports = {r.file: r for r in ingest(lake)}
    assert {name: r.status for name, r in reports.items()} == {
        "Streaming_History_Audio_2024.json": "refused",
        "more": "refused",
    }
    assert "symbolic link" in reports["more"].reason
    assert link.is_symlink() and folder_link.is_symlink() and secret.exists()
    assert plays_of(conn, "alice") == 0
    assert not lake.raw.exists() or not any(p.is_file() for p in lake.raw.rglob("*"))


# The simulated feed ---------------------------------------------------------------------------


def _v1_file(interactions: list[str]) -> bytes:
    """A v1 file: one PLAY, and the given interactions during it."""
    during = [
        v1_event(eventTime=START + dt.timedelta(minutes=1, seconds=i), activityType=kind)
        for i, kind in enumerate(interactions)
    ]
    return v1_file([v1_event(), *during])


def test_an_old_schema_file_with_interactions_loads_completely(lake, conn):
    drop(lake, "simulated", {"legacy.avro": _v1_file(["PAUSE", "LIKE", "FOLLOW"])})
    (report,) = ingest(lake)
    assert report.status == "loaded"
    assert plays_of(conn, "legacy-user") == 1
    kinds = [k for (k,) in conn.execute("SELECT activity_type FROM curated.feed_interactions ORDER BY 1")]
    assert kinds == ["FOLLOW", "LIKE", "PAUSE"]
    assert report.rows.read == 4 and report.rows.loaded == 4
    assert parquet.check(conn, lake.curated) == []


def test_feed_row_counts_add_up_with_interactions(lake, conn):
    paths = simulate(20, 1, dt.date(2026, 2, 1), 8, lake.inbox)
    backdate(*paths)
    reports = ingest(lake)
    for report in reports:
        rows = report.rows
        assert rows.read == rows.loaded + rows.duplicate + rows.overlap + rows.replaced + rows.rejected
    interactions = conn.execute("SELECT count(*) FROM curated.feed_interactions").fetchone()[0]
    plays = conn.execute("SELECT count(*) FROM curated.plays").fetchone()[0]
    assert sum(r.rows.loaded for r in reports) == plays + interactions
    assert sum(r.plays for r in reports) == plays


def test_feed_parquet_holds_only_what_postgres_inserted(lake, conn):
    """The same simulation written with 1 shard and with 2 shards: every play once in both stores."""
    start = dt.date(2026, 3, 2)
    simulate(15, 2, start, 21, lake.inbox / "one")
    for shard in range(2):
        simulate(15, 2, start, 21, lake.inbox / "two", shard_index=shard, shard_count=2)
    backdate(*lake.inbox.rglob("*.avro"))
    reports = ingest(lake)
    assert sum(r.plays for r in reports) == conn.execute("SELECT count(*) FROM curated.plays").fetchone()[0]
    assert parquet.check(conn, lake.curated) == []
    assert sum(n for (d, _), n in parquet.parquet_row_counts(lake.curated).items() if d == "feed_plays") == sum(
        r.plays for r in reports
    )


# Curated Parquet folders ----------------------------------------------------------------------

COLLIDING = ["a;b", "a_b", unicodedata.normalize("NFC", "zoë"), unicodedata.normalize("NFD", "zoë"), "zoé", "..", "..."]


def test_listeners_never_share_a_folder_and_a_rebuild_touches_only_its_own(lake, conn, tmp_path):
    for index, listener in enumerate(COLLIDING):
        source = tmp_path / f"l{index}" / "Streaming_History_Audio_2024.json"
        source.parent.mkdir()
        source.write_bytes(history(10 + index, offset=1000 * index))
        ingest(lake, [str(source)], listener=listener)
    folders = {p.name for p in (lake.curated / "plays").iterdir()}
    assert len(folders) == len(COLLIDING)
    assert parquet.check(conn, lake.curated) == []
    with conn.transaction():
        parquet.mark_dirty(conn, "plays", "a;b", [(2024, 3, 0)])
    parquet.publish(conn, lake.curated)
    assert parquet.check(conn, lake.curated) == []
    counts = parquet.parquet_row_counts(lake.curated)
    assert {listener: counts[("plays", parquet.listener_folder(listener))] for listener in COLLIDING} == {
        listener: 10 + index for index, listener in enumerate(COLLIDING)
    }


def test_a_lake_with_the_old_folder_names_is_rebuilt_on_its_first_publish(lake, conn):
    drop(lake, "a;b", {"Streaming_History_Audio_2024.json": history(30)})
    drop(lake, "simulated", {"legacy.avro": _v1_file(["LIKE"])})
    ingest(lake)
    old = lake.curated / "plays" / "listener=a_b"  # how the earlier layout named "a;b"
    (lake.curated / "plays" / "listener=a%3Bb").rename(old)
    (lake.curated / "feed_plays" / "date=2026-01-05" / "part-stale.parquet").write_bytes(
        next((lake.curated / "feed_plays").rglob("*.parquet")).read_bytes()
    )
    (lake.curated / parquet.LAYOUT_MARKER).unlink()
    assert parquet.check(conn, lake.curated) != []
    parquet.publish(conn, lake.curated)
    assert not old.exists()
    assert parquet.check(conn, lake.curated) == []
    assert (lake.curated / parquet.LAYOUT_MARKER).read_text() == parquet.LAYOUT_VERSION


def test_db_check_says_whether_parquet_matches_postgres(lake, conn, capsys):
    drop(lake, "alice", {"Streaming_History_Audio_2024.json": history(30)})
    ingest(lake)
    assert cli.main(["db", "check"]) == 0
    assert "curated Parquet matches Postgres" in capsys.readouterr().out
    next((lake.curated / "plays").rglob("*.parquet")).unlink()
    assert cli.main(["db", "check"]) == 1
    assert "plays listener='alice': 30 rows in Postgres, 0 in Parquet" in capsys.readouterr().out


# Telling the user -----------------------------------------------------------------------------


def test_the_database_going_away_ends_the_run_with_one_line_and_loses_nothing(lake, capsys, monkeypatch):
    from wrapped_lake.ingest import pipeline

    drop(lake, "alice", {"a.json": history(10), "b.json": history(10, 100), "c.json": history(10, 200)})
    real = pipeline.ingest_file
    calls = []

    def then_kill_the_connections(settings, item, conn=None):
        calls.append(item.name)
        if len(calls) == 2:  # the server goes away between the first and the second file
            with psycopg.connect(lake.database_url, autocommit=True) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        return real(settings, item, conn)

    monkeypatch.setattr(pipeline, "ingest_file", then_kill_the_connections)
    assert cli.main(["ingest"]) == 1
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert "lost the database while ingesting b.json" in line and "run `wrapped-lake ingest` again" in line
    assert "Traceback" not in captured.err
    assert len(captured.out.splitlines()) == 1  # a.json's report
    assert sorted(p.name for p in (lake.inbox / "alice").iterdir()) == ["b.json", "c.json"]
    monkeypatch.setattr(pipeline, "ingest_file", real)
    assert cli.main(["ingest"]) == 0
    with psycopg.connect(lake.database_url) as conn:
        assert plays_of(conn, "alice") == 30


# Memory --------------------------------------------------------------------------------------

# The bound the README states for one loose JSON file: peak RSS of the whole ingest process.
BASE_MB, PER_BYTE, PER_BYTE_FORGIVING = 250, 3.5, 6.0


def _extended_rows(n: int) -> list[dict]:
    start = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    return [
        {
            "ts": (start + dt.timedelta(minutes=3 * i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "username": "someone",
            "platform": "Android OS 10 API 29 (Google, Pixel 3a)",
            "ms_played": 100_000 + i,
            "conn_country": "DE",
            "ip_addr_decrypted": "192.0.2.10",
            "user_agent_decrypted": "unknown",
            "master_metadata_track_name": f"Some Track Name {i}",
            "master_metadata_album_artist_name": f"Artist {i % 500}",
            "master_metadata_album_album_name": f"Album {i % 2000}",
            "spotify_track_uri": f"spotify:track:{i:022d}",
            "episode_name": None,
            "episode_show_name": None,
            "spotify_episode_uri": None,
            "reason_start": "trackdone",
            "reason_end": "trackdone",
            "shuffle": False,
            "skipped": None,
            "offline": False,
            "offline_timestamp": 1420070400000,
            "incognito_mode": False,
        }
        for i in range(n)
    ]


@pytest.mark.parametrize(("wrongly_typed", "per_byte"), [(False, PER_BYTE), (True, PER_BYTE_FORGIVING)])
def test_a_loose_json_file_stays_within_the_stated_memory_bound(lake, tmp_path, wrongly_typed, per_byte):
    rows = _extended_rows(40_000)
    if wrongly_typed:
        rows[20_000]["ms_played"] = "oops"  # sends the whole file down the forgiving path
    path = tmp_path / "Streaming_History_Audio_2015-2016.json"
    path.write_bytes(orjson.dumps(rows, option=orjson.OPT_INDENT_2))  # ~31 MB, as Spotify indents
    script = (
        "import sys\n"
        "from wrapped_lake.ingest import ingest\n"
        "from wrapped_lake.platform.config import load_settings\n"
        "(report,) = ingest(load_settings(), [sys.argv[1]])\n"
        f"{PEAK}\n"
        "print(report.status, report.rows.loaded, peak)\n"
    )
    env = {**os.environ, "LAKE_ROOT": str(lake.root), "LAKE_DATABASE_URL": lake.database_url}
    done = subprocess.run([sys.executable, "-c", script, str(path)], env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    status, loaded, peak = done.stdout.split()
    assert status == b"loaded" and int(loaded) == 40_000 - wrongly_typed
    bound = (BASE_MB << 20) + per_byte * path.stat().st_size
    assert int(peak) <= bound, f"peak {int(peak) >> 20} MB, bound {int(bound) >> 20} MB"
