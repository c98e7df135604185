"""The wrapped-lake commands as a user meets them: build, wrapped, listener(s), stack status, db psql, --help."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime

import orjson
import pytest

from wrapped_lake import fixtures
from wrapped_lake.cli import main


def _plays(plays_file):
    plays_file("ann", [{"ended_at": datetime(2024, 5, 1, 12, i, tzinfo=UTC), "ms": 90_000, "artist_name": "Ana",
                        "track_name": f"T{i}", "track_uri": f"spotify:track:t{i}"} for i in range(3)])  # fmt: skip


def test_build_then_wrapped_json_is_stable_and_valid(lake, conn, plays_file, capsysbinary, valid_wrapped_json):
    _plays(plays_file)
    assert main(["build"]) == 0
    capsysbinary.readouterr()
    assert main(["wrapped", "--listener", "ann", "--year", "2024"]) == 0
    first = capsysbinary.readouterr().out
    assert valid_wrapped_json(first)["streams"] == 3
    assert main(["build", "--full"]) == 0
    capsysbinary.readouterr()
    assert main(["wrapped", "--listener", "ann", "--year", "2024"]) == 0
    assert capsysbinary.readouterr().out == first


def test_user_errors_are_one_line_and_exit_2(lake, conn, plays_file, capsys):
    _plays(plays_file)
    main(["build"])
    capsys.readouterr()
    assert main(["wrapped", "--listener", "bob", "--year", "2024"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["wrapped", "--listener", "ann", "--year", "1999"]) == 2
    err = capsys.readouterr().err
    assert "ann has no plays in 1999" in err and err.count("\n") == 1
    assert main(["listener", "set", "--timezone", "Nowhere/Land", "ann"]) == 2


def test_text_html_listeners_and_zone(lake, conn, plays_file, capsys, tmp_path):
    _plays(plays_file)
    main(["build"])
    assert main(["wrapped", "--listener", "ann", "--year", "2024", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "Top artists" in out
    # No catalog: two letters known, the names they allow and how to get the other two.
    personality = next(line for line in out.splitlines() if line.startswith("Listening personality"))
    assert re.fullmatch(r"Listening personality: [FE]\?[LV]\?, one of [A-Z][\w ]+(, [A-Z][\w ]+){3}", personality)
    assert "wrapped-lake catalog load FILE.csv" in out
    assert main(["wrapped", "--listener", "ann", "--year", "2024", "--format", "html"]) == 0
    path = capsys.readouterr().out.strip()
    assert path == str(lake.reports / "ann" / "wrapped_2024.html")
    assert main(["listener", "set", "--timezone", "Asia/Tokyo", "ann"]) == 0
    capsys.readouterr()
    assert main(["listeners"]) == 0
    assert capsys.readouterr().out == "ann\tAsia/Tokyo\texport\t2024: 3 plays\n"


def test_text_shows_names_with_control_characters_on_one_line(lake, conn, plays_file, capsys):
    plays_file("ann", [{"ended_at": datetime(2024, 5, 1, 12, tzinfo=UTC), "ms": 90_000, "artist_name": "Line\nBreak",
                        "track_name": "Bell\x1b[2J\x07", "track_uri": "spotify:track:t"}])  # fmt: skip
    main(["build"])
    capsys.readouterr()
    assert main(["wrapped", "--listener", "ann", "--year", "2024", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "  1. Line Break  (" in out and "  1. Bell [2J - Line Break  (" in out
    assert "\x1b" not in out and "\x07" not in out


def test_all_time_and_this_year_so_far(lake, conn, plays_file, capsysbinary, valid_wrapped_json):
    now = datetime.now(UTC)
    plays_file("ann", [
        {"ended_at": datetime(2023, 3, 1, 12, tzinfo=UTC), "ms": 60_000, "artist_name": "Ana", "track_name": "Old",
         "track_uri": "spotify:track:old"},
        {"ended_at": datetime(2024, 3, 1, 12, tzinfo=UTC), "ms": 120_000, "artist_name": "Bo", "track_name": "Mid",
         "track_uri": "spotify:track:mid"},
        {"ended_at": datetime(now.year, 1, 1, 0, 0, 1, tzinfo=UTC), "ms": 180_000, "artist_name": "Cy",
         "track_name": "New", "track_uri": "spotify:track:new"},
    ])  # fmt: skip
    main(["build"])
    capsysbinary.readouterr()

    assert main(["wrapped", "--listener", "ann", "--year", "all"]) == 0
    every = valid_wrapped_json(capsysbinary.readouterr().out)
    assert every["year"] == "all" and every["minutes_music"] == 6.0 and every["streams"] == 3
    assert [a["name"] for a in every["top_artists"]] == ["Cy", "Bo", "Ana"]
    assert every["monthly_minutes"][2] == 3.0  # March of 2023 and of 2024 added up
    assert every["new_artists"] is None and every["personality"] is None and every["percentile"] is None

    assert main(["wrapped", "--listener", "ann", "--year", "current"]) == 0
    so_far = valid_wrapped_json(capsysbinary.readouterr().out)
    assert so_far["year"] == now.year and so_far["minutes_music"] == 3.0  # LAKE_TIMEZONE of the tests: UTC

    assert main(["wrapped", "--listener", "ann", "--year", "all", "--format", "text"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"ann's Wrapped of all time\n")
    assert main(["wrapped", "--listener", "ann", "--year", "all", "--format", "html"]) == 0
    assert capsysbinary.readouterr().out.strip().decode() == str(lake.reports / "ann" / "wrapped_all.html")
    assert main(["wrapped", "--listener", "ann", "--year", "all", "--window", "spotify"]) == 2
    assert b"one year at a time" in capsysbinary.readouterr().err


def _one_line_exit_2(capsys, argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("wrapped-lake") and err.count("\n") == 1 and "Traceback" not in err
    return err


def test_bad_output_paths_and_years_are_one_line_and_exit_2(lake, conn, plays_file, capsys, tmp_path):
    _plays(plays_file)
    main(["build"])
    capsys.readouterr()
    ask = ["wrapped", "--listener", "ann", "--year", "2024", "--out"]
    assert "is a folder" in _one_line_exit_2(capsys, [*ask, str(tmp_path)])
    assert "/proc/version" in _one_line_exit_2(capsys, [*ask, "/proc/version"])  # a read-only file system
    assert "not a year" in _one_line_exit_2(capsys, ["wrapped", "--listener", "ann", "--year", "9" * 20])
    assert "not a year" in _one_line_exit_2(capsys, ["wrapped", "--listener", "ann", "--year", "0"])
    assert "--format" in _one_line_exit_2(capsys, ["wrapped", "--listener", "ann", "--year", "2024", "--format", "x"])


def test_a_failed_write_leaves_the_earlier_file_whole(lake, conn, plays_file, capsys, tmp_path):
    _plays(plays_file)
    main(["build"])
    out = tmp_path / "out" / "ann.json"
    out.parent.mkdir()
    assert main(["wrapped", "--listener", "ann", "--year", "2024", "--out", str(out)]) == 0
    before = out.read_bytes()
    assert main(["wrapped", "--listener", "nobody", "--year", "2024", "--out", str(out)]) == 2
    assert out.read_bytes() == before and [p.name for p in out.parent.iterdir()] == ["ann.json"]


@pytest.mark.parametrize("zone", ["Mars/Phobos", "posixrules", "../../etc/passwd"])
def test_a_bad_lake_timezone_is_named_in_one_line(lake, capsys, monkeypatch, zone):
    monkeypatch.setenv("LAKE_TIMEZONE", zone)
    assert "LAKE_TIMEZONE" in _one_line_exit_2(capsys, ["listeners"])


def test_the_first_read_after_the_marts_were_emptied_rebuilds_them(lake, conn, plays_file, capsys):
    _plays(plays_file)
    main(["build"])
    capsys.readouterr()
    assert main(["wrapped", "--listener", "ann", "--year", "2024"]) == 0
    before = capsys.readouterr().out
    # What crash recovery does to UNLOGGED tables, without a crash (tests/include/marts/test_crash_recovery.py
    # kills a real postmaster).
    unlogged = conn.execute(
        "SELECT string_agg(oid::regclass::text, ', ') FROM pg_class"
        " WHERE relnamespace = 'marts'::regnamespace AND relkind = 'r' AND relpersistence = 'u'"
    ).fetchone()[0]
    conn.execute(f"TRUNCATE {unlogged}")
    assert main(["wrapped", "--listener", "ann", "--year", "2024"]) == 0
    out, err = capsys.readouterr()
    assert out == before and "rebuilding the marts after a database crash" in err


def test_text_beside_spotify_shows_what_is_known_and_names_what_spotifys_file_lacks(lake, conn, capsys):
    # Spotify's file has a biggest day but no top song or podcast figures; the lake has no podcast.
    plays = [fixtures.Play(datetime(2024, 3, 10, 12, m, tzinfo=UTC), 180_000, "music", "Ana", "C", "Alb",
                           "spotify:track:C") for m in range(0, 60, 4)]  # fmt: skip
    fixtures.write_files(lake.inbox / "ann", {
        "Spotify Extended Streaming History/Streaming_History_Audio_2024.json": fixtures._json(
            [fixtures.extended_record(p) for p in plays]),
        "Spotify Account Data/Wrapped2024.json": orjson.dumps(
            {"yearlyMetrics": {"mostListenedDay": "2024-03-10", "mostListenedDayMinutes": 45.0}}),
    })  # fmt: skip
    main(["ingest"])
    main(["build"])
    capsys.readouterr()
    assert main(["wrapped", "--listener", "ann", "--year", "2024", "--window", "spotify", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "None" not in out
    assert "  Biggest day: 2024-03-10 / 2024-03-10\n" in out and "  Minutes that day: 45 / 45\n" in out
    assert "  Top song's streams: 15 / not in Spotify's file\n" in out
    assert "Top podcast minutes" not in out.split("Beside Spotify")[1]  # neither side has one


def test_listener_set_help_shows_its_own_usage(capsys):
    assert main(["listener", "set", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: wrapped-lake listener set [-h] --timezone ZONE name\n") and "{set}" not in out


def test_every_option_of_wrapped_has_a_help_text(capsys):
    assert main(["wrapped", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    for option in (r"--listener NAME", r"--year YEAR", r"--window \{[a-z,]+\}", r"--format \{[a-z,]+\}", r"--out PATH"):
        assert re.search(option + r" \w", out), option


def test_build_prints_files_listeners_and_seconds_and_timings_only_when_verbose(lake, conn, plays_file, capsys):
    _plays(plays_file)
    assert main(["build"]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"built the marts: 1 new file, 1 listener rebuilt, 1 page written in \d+\.\d s\n", out), out
    assert main(["build", "--full", "--verbose"]) == 0
    summary, *steps = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"full build: 1 file, 1 listener rebuilt, 1 page written in \d+\.\d s", summary), summary
    assert steps and all(re.fullmatch(r"  [a-z_]+ +\d+\.\d{3} s", step) for step in steps), steps


def test_stack_status_of_a_stopped_stack_says_so_and_exits_0(lake, capsys):
    assert main(["stack", "status"]) == 0
    assert capsys.readouterr().out == "Airflow is not running (make up starts it)\n"


def test_db_psql_passes_its_arguments_to_psql(lake):
    env = {**os.environ, "LAKE_ROOT": str(lake.root), "LAKE_DATABASE_URL": lake.database_url}
    command = [sys.executable, "-m", "wrapped_lake.cli", "db", "psql", "-At", "-c", "SELECT 6 * 7"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, "42\n"), done.stderr


def test_listener_set_timezone_rewrites_every_page_already_published(lake, conn, plays_file, capsys):
    _plays(plays_file)
    main(["build"])
    for asked in (["--year", "2024"], ["--year", "all"], ["--year", "2024", "--window", "spotify"]):
        assert main(["wrapped", "--listener", "ann", *asked, "--format", "html"]) == 0
    pages = sorted((lake.reports / "ann").iterdir())
    assert [p.name for p in pages] == ["wrapped_2024.html", "wrapped_2024_spotify.html", "wrapped_all.html"]
    assert all("days in <bdi>UTC</bdi>" in p.read_text() for p in pages)
    assert main(["listener", "set", "--timezone", "Asia/Tokyo", "ann"]) == 0
    assert capsys.readouterr().out.endswith("ann: Asia/Tokyo (3 pages written)\n")
    assert all("days in <bdi>Asia/Tokyo</bdi>" in p.read_text() for p in pages)


def test_build_writes_the_pages_of_the_listeners_it_changed(lake, conn, plays_file, capsys):
    _plays(plays_file)
    assert main(["build"]) == 0
    assert "1 page written" in capsys.readouterr().out
    assert (lake.reports / "ann" / "wrapped_2024.html").exists()


def test_catalog_load_rewrites_the_pages_already_published(lake, conn, plays_file, capsys, tmp_path):
    _plays(plays_file)
    main(["build"])
    assert main(["wrapped", "--listener", "ann", "--year", "all", "--format", "html"]) == 0
    pages = [lake.reports / "ann" / "wrapped_2024.html", lake.reports / "ann" / "wrapped_all.html"]
    assert not any("synthwave" in p.read_text() for p in pages)
    catalog = tmp_path / "tracks.csv"
    catalog.write_text("track_id,artists,album_name,track_name,popularity,track_genre\n"
                       + "".join(f"t{i},Ana,Alb,T{i},50,synthwave\n" for i in range(3)))  # fmt: skip
    assert main(["catalog", "load", str(catalog)]) == 0
    assert all("synthwave" in p.read_text() for p in pages)
