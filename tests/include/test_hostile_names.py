"""Names from the data (listeners, files) never leave their zone nor fail to fit a file system."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from v1_feed import v1_event, v1_file

from wrapped_lake import cli, fixtures
from wrapped_lake.ingest import ingest
from wrapped_lake.zones import parquet
from wrapped_lake.zones.names import MAX_SEGMENT, path_segment, zone_path

# Any text a name can hold, lone surrogates (undecodable folder names) included.
NAMES = st.text(st.characters(codec=None), min_size=1, max_size=400) | st.sampled_from(
    [".", "..", "...", "/", "//", "a/../..", "/tmp/x", "../../../../tmp/x", "~", "%2E%2E", "\x00", "a\x00b"]
)


def history(plays: int = 3) -> bytes:
    return orjson.dumps(
        [
            {
                "ts": f"2024-03-0{1 + i}T10:00:00Z",
                "ms_played": 200_000,
                "master_metadata_track_name": f"Track {i}",
                "master_metadata_album_artist_name": "Artist",
                "spotify_track_uri": f"spotify:track:{i:022d}",
            }
            for i in range(plays)
        ]
    )


@settings(max_examples=400, deadline=None)
@given(NAMES)
def test_every_name_maps_to_one_step_that_fits_inside_its_zone(name):
    step = path_segment(name)
    assert step not in ("", ".", "..") and "/" not in step and "\x00" not in step
    assert step.isascii() and len(step.encode()) <= MAX_SEGMENT
    zone = Path("/lake/reports")
    assert zone_path(zone, name).parent == zone


@settings(max_examples=400, deadline=None)
@given(NAMES, NAMES)
def test_distinct_names_never_share_a_step(first, second):
    assert (path_segment(first) == path_segment(second)) == (first == second)


def test_long_names_keep_a_readable_start_and_stay_apart():
    long_a, long_b = "Ж" * 60 + "a", "Ж" * 60 + "b"
    assert path_segment(long_a).startswith("%D0%96%D0%96") and path_segment(long_a) != path_segment(long_b)
    assert path_segment("x" * 10_000).startswith("x" * 100)


def test_an_empty_name_is_refused():
    with pytest.raises(ValueError, match="empty"):
        path_segment("")


@pytest.mark.parametrize("name", ["/OUTSIDE/x", "../../../../OUTSIDE/x", "..", "Ж" * 60, "n" * 5000, "a\u202eb"])
def test_a_listener_name_never_writes_outside_the_lake(lake, conn, tmp_path, capsys, name):
    outside = tmp_path / "OUTSIDE"
    name = name.replace("/OUTSIDE", str(outside)).replace("OUTSIDE", str(outside).lstrip("/"))
    source = tmp_path / "in" / "Streaming_History_Audio_2024.json"
    source.parent.mkdir()
    source.write_bytes(history())
    assert cli.main(["ingest", str(source), "--listener", name]) == 0
    assert cli.main(["build"]) == 0
    assert cli.main(["wrapped", "--listener", name, "--year", "2024", "--format", "html"]) == 0
    page = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert page.parent.parent == lake.reports and page.exists()
    assert not outside.exists()
    assert all(lake.root in p.parents for p in lake.root.rglob("*"))
    assert parquet.check(conn, lake.curated) == []


def test_an_inbox_folder_of_sixty_cyrillic_letters_loads_and_leaves_the_inbox(lake, conn, capsys):
    name = "Ж" * 60  # 120 bytes: a fine folder name, too long once percent-encoded
    fixtures.write_files(lake.inbox / name, {"Streaming_History_Audio_2024.json": history()})
    assert cli.main(["ingest"]) == 0
    assert '"status":"loaded"' in capsys.readouterr().out
    assert not (lake.inbox / name / "Streaming_History_Audio_2024.json").exists()
    assert cli.main(["db", "check"]) == 0
    assert "curated Parquet matches Postgres" in capsys.readouterr().out


def test_a_feed_user_id_never_writes_outside_the_lake(lake, conn, tmp_path, capsys):
    outside = tmp_path / "OUTSIDE"
    hostile = "../../../../" + str(outside).lstrip("/")
    fixtures.write_files(lake.inbox / "simulated", {"feed.avro": v1_file([v1_event(userId=hostile)])})
    assert cli.main(["ingest", str(lake.inbox / "simulated" / "feed.avro")]) == 0
    assert cli.main(["build"]) == 0
    capsys.readouterr()
    assert cli.main(["wrapped", "--listener", hostile, "--year", "2026", "--format", "html"]) == 0
    assert Path(capsys.readouterr().out.strip()).parent.parent == lake.reports
    assert not outside.exists()


@pytest.mark.parametrize("name", ["", "a\x00b"])
def test_a_listener_name_that_cannot_be_stored_is_one_line_and_exit_2(lake, tmp_path, capsys, name):
    source = tmp_path / "Streaming_History_Audio_2024.json"
    source.write_bytes(history())
    assert cli.main(["ingest", str(source), "--listener", name]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wrapped-lake: ") and err.count("\n") == 1 and "listener" in err


def test_a_quarantined_file_with_a_hostile_name_stays_in_the_quarantine(lake, conn, tmp_path):
    source = tmp_path / ("%2E%2E" + "x" * 240 + ".json")
    source.write_bytes(b"{not json")
    [report] = ingest(lake, [str(source)], listener="../../escape")
    assert report.status.value == "quarantined"
    [kept] = [p for p in lake.quarantine.rglob("*") if p.is_file() and not p.name.endswith(".error.json")]
    assert kept.parent.parent == lake.quarantine and kept.read_bytes() == b"{not json"
    assert not (lake.root.parent / "escape").exists()


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_every_year_listed_opens_after_the_widest_zone_shifts(lake, conn, plays_file, capsys, zone):
    from datetime import UTC, datetime

    from wrapped_lake.readers.plays import EARLIEST_PLAY, latest_plausible_end

    ends = (EARLIEST_PLAY, datetime(2024, 12, 31, 23, 30, tzinfo=UTC), latest_plausible_end())
    plays_file("ann", [{"ended_at": t, "ms": 60_000, "artist_name": "A", "track_name": "T"} for t in ends])
    assert cli.main(["build"]) == 0
    assert cli.main(["listener", "set", "--timezone", zone, "ann"]) == 0
    capsys.readouterr()
    assert cli.main(["listeners"]) == 0
    years = capsys.readouterr().out.split("\t")[3]
    listed = [int(y.split(":")[0]) for y in years.split(", ")]
    assert len(listed) >= 3
    for year in listed:
        assert cli.main(["wrapped", "--listener", "ann", "--year", str(year)]) == 0
        assert orjson.loads(capsys.readouterr().out)["streams"] >= 1
